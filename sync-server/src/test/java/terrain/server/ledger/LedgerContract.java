// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.core.id.PartnerId;
import terrain.core.id.WalletId;
import terrain.core.record.DeviceId;
import terrain.server.testkit.DatabaseContract;
import terrain.server.wallet.Wallets;
import terrain.testkit.MutableClock;

/** The ledger's rules, on each database: the total is conserved, wallets never go negative. */
abstract class LedgerContract extends DatabaseContract {
  static final PartnerId PISCINE = PartnerId.of("piscine");
  static final PartnerId THEATRE = PartnerId.of("theatre");

  static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

  MutableClock clock;
  Ledger ledger;
  Wallets wallets;

  @BeforeEach
  void open() throws Exception {
    clock = new MutableClock(START);
    ledger = new Ledger(database, clock, new SecureRandom());
    wallets = new Wallets(database, ledger, clock, new SecureRandom());
  }

  @Test
  void claim_whenTicketClaimedTwice_creditsOnceAndNamesFirstWallet() throws Exception {
    WalletId first = wallets.create().id();
    WalletId second = wallets.create().id();
    TicketRef ticket = new TicketRef(DeviceId.of("kiosk-01"), 7);
    long expires = START.plus(Duration.ofDays(180)).getEpochSecond();

    Ledger.ClaimResult credited = ledger.claim(first, ticket, 5, expires);
    Ledger.ClaimResult again = ledger.claim(second, ticket, 5, expires);

    assertEquals(new Ledger.Credited(5, 5), credited);
    assertEquals(
        Optional.of(first), assertInstanceOf(Ledger.AlreadyClaimed.class, again).walletId());
    assertEquals(5, ledger.balance(Ledger.walletAccount(first)));
    assertEquals(0, ledger.balance(Ledger.walletAccount(second)));
    assertEquals(-5, ledger.balance(Ledger.POOL));
    assertEquals(0, ledger.total());
  }

  @Test
  void spend_whenMoreThanBalance_refusesWithoutChange() throws Exception {
    WalletId wallet = wallets.create().id();
    ledger.openPartner(PISCINE);
    ledger.claim(
        wallet, new TicketRef(DeviceId.of("k1"), 1), 3, START.plusSeconds(86_400).getEpochSecond());

    Ledger.SpendResult result = ledger.spend(wallet, PISCINE, 4);

    assertEquals(new Ledger.Insufficient(3), result);
    assertEquals(3, ledger.balance(Ledger.walletAccount(wallet)));
    assertEquals(0, ledger.balance(Ledger.partnerAccount(PISCINE)));
  }

  @Test
  void expire_whenPartlySpent_returnsRemainderOfEarliestTicketsToPool() throws Exception {
    WalletId wallet = wallets.create().id();
    ledger.openPartner(THEATRE);
    long soon = START.plus(Duration.ofDays(1)).getEpochSecond();
    long later = START.plus(Duration.ofDays(30)).getEpochSecond();
    ledger.claim(wallet, new TicketRef(DeviceId.of("k1"), 1), 10, later);
    ledger.claim(wallet, new TicketRef(DeviceId.of("k1"), 2), 4, soon);
    ledger.spend(wallet, THEATRE, 6); // 4 from the ticket expiring soon, 2 from the other
    clock.advance(Duration.ofDays(2));

    long returned = ledger.expire();

    assertEquals(0, returned);
    clock.advance(Duration.ofDays(30));
    assertEquals(8, ledger.expire());
    assertEquals(0, ledger.balance(Ledger.walletAccount(wallet)));
    assertEquals(6, ledger.balance(Ledger.partnerAccount(THEATRE)));
    assertEquals(-6, ledger.balance(Ledger.POOL));
    assertEquals(0, ledger.total());
    List<Ledger.Entry> history = ledger.entries(Ledger.walletAccount(wallet), 10);
    assertEquals(Ledger.Reason.EXPIRY, history.get(0).reason());
    assertEquals(-8, history.get(0).amount());
  }

  @Test
  void spend_whenTicketExpiredBeforeSweep_cannotSpendIt() throws Exception {
    WalletId wallet = wallets.create().id();
    ledger.openPartner(PISCINE);
    ledger.claim(
        wallet, new TicketRef(DeviceId.of("k1"), 1), 5, START.plusSeconds(86_400).getEpochSecond());
    clock.advance(Duration.ofDays(2));

    Ledger.SpendResult result = ledger.spend(wallet, PISCINE, 1);

    assertEquals(new Ledger.Insufficient(0), result);
    assertEquals(0, ledger.balance(Ledger.POOL));
    assertEquals(0, ledger.total());
  }

  /**
   * Random sequences of claims (some of tickets claimed before), spends (some too large) and
   * expiries, with time moving on: after every step the accounts sum to 0, as do the entries and
   * each transfer; no wallet is negative; each wallet holds what a simple model says and what its
   * claimed tickets still have.
   */
  @Test
  void anySequence_ofClaimsSpendsAndExpiries_keepsTotalAndNoWalletNegative() throws Exception {
    for (long seed = 1; seed <= seeds(); seed++) {
      runSequence(seed, 40);
    }
  }

  @Test
  void spend_whenSameRequestSentTwice_debitsOnce() throws Exception {
    WalletId wallet = wallets.create().id();
    ledger.openPartner(PISCINE);
    ledger.claim(
        wallet, new TicketRef(DeviceId.of("k1"), 1), 9, START.plusSeconds(86_400).getEpochSecond());

    Ledger.SpendResult first = ledger.spend(wallet, PISCINE, 4, "request-1");
    Ledger.SpendResult again = ledger.spend(wallet, PISCINE, 4, "request-1");

    assertEquals(new Ledger.Spent(4, 5), first);
    assertEquals(new Ledger.Repeated(PISCINE, 4, 5), again);
    assertEquals(5, ledger.balance(Ledger.walletAccount(wallet)));
    assertEquals(4, ledger.balance(Ledger.partnerAccount(PISCINE)));
  }

  @Test
  void spend_whenSameRequestIdWithAnotherAmountOrWallet_isReusedAndMovesNothing() throws Exception {
    WalletId wallet = wallets.create().id();
    WalletId other = wallets.create().id();
    ledger.openPartner(PISCINE);
    long expires = START.plusSeconds(86_400).getEpochSecond();
    ledger.claim(wallet, new TicketRef(DeviceId.of("k1"), 1), 9, expires);
    ledger.claim(other, new TicketRef(DeviceId.of("k1"), 2), 9, expires);

    Ledger.SpendResult first = ledger.spend(wallet, PISCINE, 4, "request-3");
    Ledger.SpendResult otherAmount = ledger.spend(wallet, PISCINE, 5, "request-3");
    Ledger.SpendResult otherWallet = ledger.spend(other, PISCINE, 4, "request-3");

    assertEquals(new Ledger.Spent(4, 5), first);
    assertEquals(new Ledger.Reused(4), otherAmount);
    assertEquals(new Ledger.Reused(4), otherWallet);
    assertEquals(5, ledger.balance(Ledger.walletAccount(wallet)));
    assertEquals(9, ledger.balance(Ledger.walletAccount(other)));
    assertEquals(4, ledger.balance(Ledger.partnerAccount(PISCINE)));
    assertTrue(ledger.audit().ok(), ledger.audit().toString());
  }

  @Test
  void spend_whenTwoPartnersUseSameRequestId_debitsForEach() throws Exception {
    WalletId wallet = wallets.create().id();
    ledger.openPartner(PISCINE);
    ledger.openPartner(THEATRE);
    ledger.claim(
        wallet, new TicketRef(DeviceId.of("k1"), 1), 9, START.plusSeconds(86_400).getEpochSecond());

    Ledger.SpendResult piscine = ledger.spend(wallet, PISCINE, 4, "till-0001");
    Ledger.SpendResult theatre = ledger.spend(wallet, THEATRE, 4, "till-0001");
    Ledger.SpendResult theatreAgain = ledger.spend(wallet, THEATRE, 4, "till-0001");

    assertEquals(new Ledger.Spent(4, 5), piscine);
    assertEquals(new Ledger.Spent(4, 1), theatre);
    assertEquals(new Ledger.Repeated(THEATRE, 4, 1), theatreAgain);
    assertEquals(4, ledger.balance(Ledger.partnerAccount(PISCINE)));
    assertEquals(4, ledger.balance(Ledger.partnerAccount(THEATRE)));
    assertTrue(ledger.audit().ok(), ledger.audit().toString());
  }

  @Test
  void spend_whenRequestIdMalformed_refusesBeforeTouchingTheBooks() throws Exception {
    WalletId wallet = wallets.create().id();
    ledger.openPartner(PISCINE);

    for (String bad : new String[] {null, "short", "x".repeat(65), "has space1", "é-accent-1"}) {
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> ledger.spend(wallet, PISCINE, 1, bad), bad);
    }
    assertTrue(Ledger.isValidRequestId("0b6f3c1e-4a7d-4f7e-9c1a-2d5e8f9a0b1c"), "a UUID");
    assertTrue(Ledger.isValidRequestId("till.2026-11-28_0042"));
  }

  @Test
  void spend_whenRefusedForOverdraft_requestIdCanBeUsedAgain() throws Exception {
    WalletId wallet = wallets.create().id();
    ledger.openPartner(PISCINE);
    ledger.claim(
        wallet, new TicketRef(DeviceId.of("k1"), 1), 3, START.plusSeconds(86_400).getEpochSecond());

    assertEquals(new Ledger.Insufficient(3), ledger.spend(wallet, PISCINE, 5, "request-2"));
    assertEquals(new Ledger.Spent(2, 1), ledger.spend(wallet, PISCINE, 2, "request-2"));
  }

  @Test
  void expire_whenRunTwice_returnsBriqsOnce() throws Exception {
    WalletId wallet = wallets.create().id();
    ledger.claim(
        wallet, new TicketRef(DeviceId.of("k1"), 1), 6, START.plusSeconds(3_600).getEpochSecond());
    clock.advance(Duration.ofHours(2));

    assertEquals(6, ledger.expire());
    assertEquals(0, ledger.expire());

    assertEquals(0, ledger.balance(Ledger.POOL));
    assertEquals(0, ledger.balance(Ledger.walletAccount(wallet)));
    assertTrue(ledger.audit().ok(), ledger.audit().toString());
  }

  @Test
  void claim_whenWalletHasNoAccount_isRefusedAndWritesNothing() throws Exception {
    // No foreign key checks the entries' accounts (V1037): the transfer's update of the account
    // row is the check, and the whole claim rolls back.
    WalletId ghost = WalletId.of("w0123456789abcdef01234567");
    TicketRef ticket = new TicketRef(DeviceId.of("kiosk-01"), 9);
    long expires = START.plus(Duration.ofDays(180)).getEpochSecond();

    terrain.store.StoreException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            terrain.store.StoreException.class, () -> ledger.claim(ghost, ticket, 5, expires));

    assertTrue(
        refused.getMessage().contains("no ledger account wallet:" + ghost.value()),
        refused.getMessage());
    Ledger.Audit audit = ledger.audit();
    assertTrue(audit.ok(), audit.toString());
    assertEquals(0, audit.claims());
    assertEquals(0, ledger.balance(Ledger.POOL));
  }

  @Test
  void keptStatements_whenWorkFailsWithARuntimeException_areRolledBack() throws Exception {
    database.pool(terrain.store.Database.PoolSettings.of(1));
    WalletId wallet = wallets.create().id();
    long expires = START.plus(Duration.ofDays(180)).getEpochSecond();
    java.sql.PreparedStatement[] kept = new java.sql.PreparedStatement[2];

    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class,
        () ->
            Transactions.run(
                database,
                "a claim that fails after writing",
                c -> {
                  kept[0] = Statements.prepared(c, "SELECT balance FROM accounts WHERE id = ?");
                  ledger.claim(c, wallet, new TicketRef(DeviceId.of("k-fail"), 1), 4, expires);
                  throw new IllegalStateException("after the writes");
                }));
    Ledger.ClaimResult again =
        Transactions.run(
            database,
            "the same claim again",
            c -> {
              kept[1] = Statements.prepared(c, "SELECT balance FROM accounts WHERE id = ?");
              return ledger.claim(c, wallet, new TicketRef(DeviceId.of("k-fail"), 1), 4, expires);
            });

    // The pool's one connection came back with its statement kept, and without the failed
    // claim's writes (HikariCP does not see kept statements dirty the connection).
    assertTrue(kept[0] == kept[1], "the statement is prepared once per connection");
    assertEquals(new Ledger.Credited(4, 4), again);
    Ledger.Audit audit = ledger.audit();
    assertTrue(audit.ok(), audit.toString());
    assertEquals(1, audit.claims());
  }

  @Test
  void claim_whenManyWalletsClaimAtOnce_poolIsTheSumAndNothingDrifts() throws Exception {
    int wallets = 8;
    int perWallet = 25;
    List<WalletId> ids = new ArrayList<>();
    for (int i = 0; i < wallets; i++) {
      ids.add(this.wallets.create().id());
    }
    long expires = START.plus(Duration.ofDays(180)).getEpochSecond();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(wallets);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int w = 0; w < wallets; w++) {
        WalletId id = ids.get(w);
        int base = w * perWallet;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 1; i <= perWallet; i++) {
                    // Every ticket claimed twice, from two wallets: credited once.
                    TicketRef ticket = new TicketRef(DeviceId.of("k-many"), base + i);
                    ledger.claim(id, ticket, 2, expires);
                    ledger.claim(ids.get((base / perWallet + 1) % ids.size()), ticket, 2, expires);
                  }
                  return null;
                }));
      }
      for (var f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    Ledger.Audit audit = ledger.audit();
    assertTrue(audit.ok(), audit.toString());
    assertEquals(-2L * wallets * perWallet, audit.pool());
    assertEquals((long) wallets * perWallet, audit.claims());
  }

  /** How many random sequences to try; PostgreSQL is slower per transaction. */
  int seeds() {
    return 8;
  }

  private void runSequence(long seed, int steps) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    List<WalletId> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(wallets.create().id());
    }
    long poolBefore = ledger.balance(Ledger.POOL);
    PartnerId partner = PartnerId.of("partner-" + seed);
    ledger.openPartner(partner);
    Map<WalletId, Long> model = new HashMap<>();
    Map<WalletId, List<long[]>> lots = new HashMap<>(); // wallet -> {expiresAt, remaining}
    List<TicketRef> claimed = new ArrayList<>();
    long serial = 0;
    DeviceId device = DeviceId.of("kiosk-s" + seed);
    long spentTotal = 0;
    for (int step = 0; step < steps; step++) {
      WalletId wallet = ids.get(random.nextInt(ids.size()));
      int action = random.nextInt(10);
      String context = "seed " + seed + " step " + step;
      if (action < 5) {
        boolean again = !claimed.isEmpty() && random.nextInt(4) == 0;
        TicketRef ticket =
            again ? claimed.get(random.nextInt(claimed.size())) : new TicketRef(device, ++serial);
        int briqs = 1 + random.nextInt(20);
        long expiresAt = clock.instant().getEpochSecond() + 86_400L * (1 + random.nextInt(10));
        Ledger.ClaimResult result = ledger.claim(wallet, ticket, briqs, expiresAt);
        if (again) {
          assertInstanceOf(Ledger.AlreadyClaimed.class, result, context);
        } else {
          assertInstanceOf(Ledger.Credited.class, result, context);
          claimed.add(ticket);
          model.merge(wallet, (long) briqs, Long::sum);
          lots.computeIfAbsent(wallet, w -> new ArrayList<>()).add(new long[] {expiresAt, briqs});
        }
      } else if (action < 8) {
        long now = clock.instant().getEpochSecond();
        for (long[] lot : lots.getOrDefault(wallet, List.of())) {
          if (lot[0] <= now && lot[1] > 0) {
            model.merge(wallet, -lot[1], Long::sum);
            lot[1] = 0;
          }
        }
        long have = model.getOrDefault(wallet, 0L);
        long amount = 1 + random.nextInt(25);
        Ledger.SpendResult result = ledger.spend(wallet, partner, amount);
        if (amount <= have) {
          assertEquals(new Ledger.Spent(amount, have - amount), result, context);
          model.put(wallet, have - amount);
          spentTotal += amount;
          consume(lots.getOrDefault(wallet, new ArrayList<>()), amount);
        } else {
          assertEquals(new Ledger.Insufficient(have), result, context);
        }
      } else {
        clock.advance(Duration.ofDays(1 + random.nextInt(4)));
        long now = clock.instant().getEpochSecond();
        long expected = 0;
        for (Map.Entry<WalletId, List<long[]>> entry : lots.entrySet()) {
          for (long[] lot : entry.getValue()) {
            if (lot[0] <= now && lot[1] > 0) {
              expected += lot[1];
              model.merge(entry.getKey(), -lot[1], Long::sum);
              lot[1] = 0;
            }
          }
        }
        assertEquals(expected, ledger.expire(), context);
      }
      assertEquals(0, ledger.total(), context);
      assertEquals(0, ledger.entriesTotal(), context);
      assertEquals(0, ledger.unbalancedTransfers(), context);
      assertEquals(0, ledger.driftedAccounts(), context);
      assertTrue(ledger.audit().ok(), context + ": " + ledger.audit());
      for (WalletId id : ids) {
        long balance = ledger.balance(Ledger.walletAccount(id));
        assertTrue(balance >= 0, context + ": wallet " + id + " at " + balance);
        assertEquals(model.getOrDefault(id, 0L), balance, context + ": wallet " + id);
        long remaining = ledger.lots(id).stream().mapToLong(Ledger.Lot::remaining).sum();
        assertEquals(balance, remaining, context + ": tickets of wallet " + id);
      }
    }
    assertEquals(spentTotal, ledger.balance(Ledger.partnerAccount(partner)));
    // Everything left expires, so that the next sequence starts with empty wallets.
    clock.advance(Duration.ofDays(30));
    long left = model.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(left, ledger.expire(), "seed " + seed + " at the end");
    assertEquals(-spentTotal, ledger.balance(Ledger.POOL) - poolBefore);
  }

  /** Spending takes from the tickets that expire first (stable for equal expiries). */
  private static void consume(List<long[]> lots, long amount) {
    List<long[]> ordered = new ArrayList<>(lots);
    ordered.sort((a, b) -> Long.compare(a[0], b[0]));
    for (long[] lot : ordered) {
      long take = Math.min(amount, lot[1]);
      lot[1] -= take;
      amount -= take;
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import terrain.core.id.PartnerId;
import terrain.core.id.WalletId;
import terrain.core.record.DeviceId;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * The briqs' double-entry ledger. Accounts are the authority's pool ({@link #POOL}, whose balance
 * goes negative by what it has given out), wallets (never negative) and partners. Every movement is
 * a transfer: entries of one transfer id that sum to 0, written with the accounts' balances in one
 * transaction, so the total of all accounts is always 0.
 *
 * <ul>
 *   <li>claim: pool → wallet, the ticket's briqs, at most once per ticket (primary key of {@code
 *       ticket_claims});
 *   <li>spend: wallet → partner, taken from the wallet's claimed tickets in order of expiry
 *       (expired ones are returned to the pool first: they cannot be spent);
 *   <li>expiry: wallet → pool, what remains of each claimed ticket past its expiry.
 * </ul>
 *
 * <p>Concurrency: a transfer first locks its wallet and partner rows in the order of their ids,
 * then reads and writes; so two transfers on one wallet run one after the other and never deadlock
 * each other. The pool is never locked: its row is not updated, its balance is the sum of its
 * entries (migration V1003), so claims into different wallets do not wait for each other. A claim's
 * lock on its ticket is the insert of its {@code ticket_claims} row.
 */
public final class Ledger {
  /** The authority's pool. */
  public static final String POOL = "pool";

  /** Why briqs moved. */
  public enum Reason {
    CLAIM,
    SPEND,
    EXPIRY;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Reason of(String code) {
      return valueOf(code.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** One line of an account's history. */
  public record Entry(
      String transferId,
      long amount,
      long atEpochSecond,
      Reason reason,
      Optional<TicketRef> ticket) {}

  /** Briqs claimed from one ticket, what is left of them, and when they expire. */
  public record Lot(TicketRef ticket, int briqs, int remaining, long expiresAtEpochSecond) {}

  /** What a claim did. */
  public sealed interface ClaimResult {}

  /** The ticket's briqs are in the wallet. */
  public record Credited(long briqs, long balance) implements ClaimResult {}

  /**
   * The ticket was claimed before, by this wallet or another one; the wallet is empty while the
   * first claim's transaction has not committed yet.
   */
  public record AlreadyClaimed(Optional<WalletId> walletId, long claimedAtEpochSecond)
      implements ClaimResult {}

  /** What a spend did. */
  public sealed interface SpendResult {}

  /** The briqs went to the partner; {@code balance} is what the wallet holds now. */
  public record Spent(long amount, long balance) implements SpendResult {}

  /** The wallet holds less than asked: nothing moved. */
  public record Insufficient(long balance) implements SpendResult {}

  /**
   * This partner spent this request id before, on the same wallet and amount (a form sent twice, a
   * retry): nothing moved again.
   */
  public record Repeated(PartnerId partnerId, long amount, long balanceAfter)
      implements SpendResult {}

  /**
   * This partner spent this request id before on another wallet or amount: nothing moved; {@code
   * amount} is what the first spend took.
   */
  public record Reused(long amount) implements SpendResult {}

  /** What a spend's request id must be: 8 to 64 of [A-Za-z0-9._-]; a UUID is one. */
  public static final String REQUEST_ID_RULE = "8 to 64 of [A-Za-z0-9._-] (a UUID works)";

  private static final java.util.regex.Pattern REQUEST_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9._-]{8,64}");

  /** Whether {@code requestId} follows {@link #REQUEST_ID_RULE}. */
  public static boolean isValidRequestId(String requestId) {
    return requestId != null && REQUEST_ID.matcher(requestId).matches();
  }

  /** What the ledger's checks found: all zero when the books are right. */
  public record Audit(
      long total,
      long entriesTotal,
      long unbalancedTransfers,
      long driftedAccounts,
      long ticketsCreditedTwice,
      long pool,
      long claims) {
    public boolean ok() {
      return total == 0
          && entriesTotal == 0
          && unbalancedTransfers == 0
          && driftedAccounts == 0
          && ticketsCreditedTwice == 0;
    }
  }

  private final Database database;
  private final Clock clock;
  private final RandomGenerator random;
  private volatile java.util.function.Consumer<SpendResult> spent = result -> {};

  public Ledger(Database database, Clock clock, RandomGenerator random) {
    this.database = Objects.requireNonNull(database, "database");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  public static String walletAccount(WalletId walletId) {
    return "wallet:" + walletId.value();
  }

  public static String partnerAccount(PartnerId partnerId) {
    return "partner:" + partnerId.value();
  }

  /** Creates a wallet's account, in the caller's transaction. */
  public void openWallet(Connection c, WalletId walletId) throws SQLException {
    insertAccount(c, walletAccount(walletId), "wallet", walletId.value());
  }

  /** Creates a partner's account if it does not exist yet. */
  public void openPartner(PartnerId partnerId) throws StoreException {
    Transactions.run(
        database,
        "opening the account of partner " + partnerId,
        c -> {
          if (balance(c, partnerAccount(partnerId)).isEmpty()) {
            insertAccount(c, partnerAccount(partnerId), "partner", partnerId.value());
          }
          return null;
        });
  }

  /** Claims a ticket into a wallet in its own transaction: see {@link #claim(Connection, ...)}. */
  public ClaimResult claim(WalletId walletId, TicketRef ticket, int briqs, long expiresAt)
      throws StoreException {
    return Transactions.run(
        database, "claiming ticket " + ticket, c -> claim(c, walletId, ticket, briqs, expiresAt));
  }

  /**
   * Credits a ticket's briqs from the pool to a wallet, in the caller's transaction, unless the
   * ticket was claimed before: then the transaction is rolled back and the first claim returned.
   */
  public ClaimResult claim(
      Connection c, WalletId walletId, TicketRef ticket, int briqs, long expiresAt)
      throws SQLException {
    long now = clock.instant().getEpochSecond();
    try {
      PreparedStatement insert =
          Statements.prepared(
              c,
              "INSERT INTO ticket_claims (device_id, serial, wallet_id, briqs, remaining,"
                  + " expires_at, claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
      insert.setString(1, ticket.device().value());
      insert.setLong(2, ticket.serial());
      insert.setString(3, walletId.value());
      insert.setInt(4, briqs);
      insert.setInt(5, briqs);
      insert.setLong(6, expiresAt);
      insert.setLong(7, now);
      insert.executeUpdate();
    } catch (SQLException e) {
      if (!Transactions.isUniqueViolation(e)) {
        throw e;
      }
      c.rollback();
      return firstClaim(c, ticket);
    }
    // The only row a claim updates is its wallet's (the pool's balance is its entries): no lock
    // order to keep, the update below takes the wallet's row lock.
    String wallet = walletAccount(walletId);
    transfer(c, Map.of(POOL, (long) -briqs, wallet, (long) briqs), Reason.CLAIM, ticket, now);
    return new Credited(briqs, balance(c, wallet).orElse(0L));
  }

  private static AlreadyClaimed firstClaim(Connection c, TicketRef ticket) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT wallet_id, claimed_at FROM ticket_claims WHERE device_id = ? AND serial = ?")) {
      select.setString(1, ticket.device().value());
      select.setLong(2, ticket.serial());
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          return new AlreadyClaimed(Optional.of(WalletId.of(rs.getString(1))), rs.getLong(2));
        }
      }
    }
    // The first claim's transaction has not committed yet: the key is taken all the same.
    return new AlreadyClaimed(Optional.empty(), 0);
  }

  /** As {@link #spend(WalletId, PartnerId, long, String)} with a fresh request id. */
  public SpendResult spend(WalletId walletId, PartnerId partnerId, long amount)
      throws StoreException {
    return spend(walletId, partnerId, amount, transferId());
  }

  /**
   * Moves {@code amount} briqs from a wallet to a partner, taken from the wallet's claimed tickets
   * that expire first. Refused without any change when the wallet holds less. A request id is
   * scoped to its partner (the primary key of {@code spend_requests} is both): one this partner
   * spent before moves nothing again and returns {@link Repeated} for the same wallet and amount,
   * {@link Reused} for another one; another partner's same id is another spend.
   *
   * @param requestId {@link #REQUEST_ID_RULE}, unique per spend the partner confirms
   */
  public SpendResult spend(WalletId walletId, PartnerId partnerId, long amount, String requestId)
      throws StoreException {
    SpendResult result = spendOnce(walletId, partnerId, amount, requestId);
    spent.accept(result);
    return result;
  }

  /** Tells {@code observer} the result of every spend (for the metrics); replaces the last one. */
  public void observeSpends(java.util.function.Consumer<SpendResult> observer) {
    this.spent = java.util.Objects.requireNonNull(observer, "observer");
  }

  private SpendResult spendOnce(
      WalletId walletId, PartnerId partnerId, long amount, String requestId) throws StoreException {
    if (amount <= 0) {
      throw new IllegalArgumentException("spend amount [" + amount + "] must be 1 or more");
    }
    if (!isValidRequestId(requestId)) {
      throw new IllegalArgumentException(
          "spend request id [" + requestId + "] must be " + REQUEST_ID_RULE);
    }
    return Transactions.run(
        database,
        "spending " + amount + " briqs of wallet " + walletId,
        c -> {
          String wallet = walletAccount(walletId);
          String partner = partnerAccount(partnerId);
          long now = clock.instant().getEpochSecond();
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO spend_requests (request_id, wallet_id, partner_id, amount,"
                      + " balance_after, spent_at) VALUES (?, ?, ?, ?, -1, ?)")) {
            insert.setString(1, requestId);
            insert.setString(2, walletId.value());
            insert.setString(3, partnerId.value());
            insert.setLong(4, amount);
            insert.setLong(5, now);
            insert.executeUpdate();
          } catch (SQLException e) {
            if (!Transactions.isUniqueViolation(e)) {
              throw e;
            }
            c.rollback();
            return repeated(c, partnerId, requestId, walletId, amount);
          }
          lock(c, List.of(wallet, partner));
          // Briqs past their expiry are not spendable, even before the periodic sweep.
          expireLots(c, walletId, now);
          long balance =
              balance(c, wallet)
                  .orElseThrow(() -> new SQLException("no account for wallet " + walletId));
          if (balance < amount) {
            try (PreparedStatement delete =
                c.prepareStatement("DELETE FROM spend_requests WHERE request_id = ?")) {
              delete.setString(1, requestId);
              delete.executeUpdate();
            }
            return new Insufficient(balance);
          }
          long left = amount;
          for (Lot lot : lots(c, walletId)) {
            if (left == 0) {
              break;
            }
            if (lot.remaining() == 0) {
              continue;
            }
            long take = Math.min(left, lot.remaining());
            setRemaining(c, lot.ticket(), lot.remaining() - take);
            left -= take;
          }
          if (left != 0) {
            throw new SQLException(
                "wallet " + walletId + " balance " + balance + " disagrees with its tickets");
          }
          transfer(c, Map.of(wallet, -amount, partner, amount), Reason.SPEND, null, now);
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE spend_requests SET balance_after = ?"
                      + " WHERE partner_id = ? AND request_id = ?")) {
            update.setLong(1, balance - amount);
            update.setString(2, partnerId.value());
            update.setString(3, requestId);
            update.executeUpdate();
          }
          return new Spent(amount, balance - amount);
        });
  }

  private static SpendResult repeated(
      Connection c, PartnerId partnerId, String requestId, WalletId walletId, long amount)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT wallet_id, amount, balance_after FROM spend_requests"
                + " WHERE partner_id = ? AND request_id = ?")) {
      select.setString(1, partnerId.value());
      select.setString(2, requestId);
      try (ResultSet rs = select.executeQuery()) {
        if (rs.next()) {
          long first = rs.getLong(2);
          return rs.getString(1).equals(walletId.value()) && first == amount
              ? new Repeated(partnerId, first, rs.getLong(3))
              : new Reused(first);
        }
      }
    }
    // The first request has not committed yet: a transient conflict, tried again.
    throw new SQLException("spend request " + requestId + " is being processed", "40001");
  }

  /**
   * Returns to the pool what remains of every claimed ticket whose expiry has passed, one transfer
   * per ticket. Returns the number of briqs returned.
   */
  public long expire() throws StoreException {
    long now = clock.instant().getEpochSecond();
    List<WalletId> wallets =
        Transactions.run(
            database,
            "finding expired briqs",
            c -> {
              List<WalletId> out = new ArrayList<>();
              try (PreparedStatement select =
                  c.prepareStatement(
                      "SELECT DISTINCT wallet_id FROM ticket_claims"
                          + " WHERE expires_at <= ? AND remaining > 0")) {
                select.setLong(1, now);
                try (ResultSet rs = select.executeQuery()) {
                  while (rs.next()) {
                    out.add(WalletId.of(rs.getString(1)));
                  }
                }
              }
              return out;
            });
    long returned = 0;
    for (WalletId walletId : wallets) {
      returned +=
          Transactions.run(
              database,
              "returning the expired briqs of wallet " + walletId,
              c -> {
                lock(c, List.of(walletAccount(walletId)));
                return expireLots(c, walletId, now);
              });
    }
    return returned;
  }

  /**
   * Returns to the pool what remains of the wallet's tickets expired at {@code now}, one transfer
   * per ticket; the caller holds the lock of the wallet.
   */
  private long expireLots(Connection c, WalletId walletId, long now) throws SQLException {
    String wallet = walletAccount(walletId);
    long total = 0;
    for (Lot lot : lots(c, walletId)) {
      if (lot.expiresAtEpochSecond() <= now && lot.remaining() > 0) {
        setRemaining(c, lot.ticket(), 0);
        transfer(
            c,
            Map.of(wallet, (long) -lot.remaining(), POOL, (long) lot.remaining()),
            Reason.EXPIRY,
            lot.ticket(),
            now);
        total += lot.remaining();
      }
    }
    return total;
  }

  /**
   * What the wallet can spend now: its balance without the briqs past their expiry that the
   * periodic sweep has not returned yet.
   */
  public long spendable(WalletId walletId) throws StoreException {
    long now = clock.instant().getEpochSecond();
    return Transactions.run(
        database,
        "reading what wallet " + walletId + " can spend",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT SUM(remaining) FROM ticket_claims WHERE wallet_id = ? AND expires_at > ?")) {
            select.setString(1, walletId.value());
            select.setLong(2, now);
            try (ResultSet rs = select.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  /** The balance of an account, 0 when it does not exist. */
  public long balance(String accountId) throws StoreException {
    return Transactions.run(
        database, "reading the balance of " + accountId, c -> balance(c, accountId).orElse(0L));
  }

  /** The sum of all accounts' balances (the pool's from its entries): 0, always. */
  public long total() throws StoreException {
    return Transactions.run(database, "adding up the accounts", Ledger::total);
  }

  private static long total(Connection c) throws SQLException {
    return sum(c, "SELECT SUM(balance) FROM accounts WHERE id <> '" + POOL + "'")
        + balance(c, POOL).orElse(0L);
  }

  /** Runs every check of the books in one transaction. */
  public Audit audit() throws StoreException {
    return Transactions.run(
        database,
        "checking the ledger",
        c ->
            new Audit(
                total(c),
                sum(c, "SELECT SUM(amount) FROM ledger_entries"),
                sum(
                    c,
                    "SELECT COUNT(*) FROM (SELECT transfer_id FROM ledger_entries"
                        + " GROUP BY transfer_id HAVING SUM(amount) <> 0) t"),
                drifted(c),
                sum(
                    c,
                    "SELECT COUNT(*) FROM (SELECT ticket_device, ticket_serial FROM ledger_entries"
                        + " WHERE reason = 'claim' AND account_id <> '"
                        + POOL
                        + "' GROUP BY ticket_device, ticket_serial HAVING COUNT(*) > 1) t"),
                balance(c, POOL).orElse(0L),
                sum(c, "SELECT COUNT(*) FROM ticket_claims")));
  }

  /** Accounts (other than the pool) whose kept balance differs from the sum of their entries. */
  public long driftedAccounts() throws StoreException {
    return Transactions.run(database, "checking the account balances", Ledger::drifted);
  }

  private static long drifted(Connection c) throws SQLException {
    return sum(
        c,
        "SELECT COUNT(*) FROM accounts a LEFT JOIN (SELECT account_id, SUM(amount) AS s"
            + " FROM ledger_entries GROUP BY account_id) e ON e.account_id = a.id"
            + " WHERE a.id <> '"
            + POOL
            + "' AND a.balance <> COALESCE(e.s, 0)");
  }

  /** The sum of all entries: 0, always, and equal to {@link #total()}. */
  public long entriesTotal() throws StoreException {
    return Transactions.run(
        database,
        "adding up the ledger entries",
        c -> sum(c, "SELECT SUM(amount) FROM ledger_entries"));
  }

  /** Transfers whose entries do not sum to 0: none, always. */
  public long unbalancedTransfers() throws StoreException {
    return Transactions.run(
        database,
        "checking the transfers",
        c ->
            sum(
                c,
                "SELECT COUNT(*) FROM (SELECT transfer_id FROM ledger_entries"
                    + " GROUP BY transfer_id HAVING SUM(amount) <> 0) t"));
  }

  /** An account's latest entries, newest first. */
  public List<Entry> entries(String accountId, int limit) throws StoreException {
    return Transactions.run(
        database,
        "reading the history of " + accountId,
        c -> {
          List<Entry> out = new ArrayList<>();
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT transfer_id, amount, entry_at, reason, ticket_device, ticket_serial"
                      + " FROM ledger_entries WHERE account_id = ? ORDER BY id DESC")) {
            select.setMaxRows(limit);
            select.setString(1, accountId);
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                String device = rs.getString(5);
                Optional<TicketRef> ticket =
                    device == null
                        ? Optional.empty()
                        : Optional.of(new TicketRef(DeviceId.of(device), rs.getLong(6)));
                out.add(
                    new Entry(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        Reason.of(rs.getString(4)),
                        ticket));
              }
            }
          }
          return out;
        });
  }

  /** A wallet's claimed tickets, those that expire first first. */
  public List<Lot> lots(WalletId walletId) throws StoreException {
    return Transactions.run(
        database, "reading the tickets of wallet " + walletId, c -> lots(c, walletId));
  }

  private static List<Lot> lots(Connection c, WalletId walletId) throws SQLException {
    List<Lot> out = new ArrayList<>();
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT device_id, serial, briqs, remaining, expires_at FROM ticket_claims"
                + " WHERE wallet_id = ? ORDER BY expires_at, device_id, serial")) {
      select.setString(1, walletId.value());
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Lot(
                  new TicketRef(DeviceId.of(rs.getString(1)), rs.getLong(2)),
                  rs.getInt(3),
                  rs.getInt(4),
                  rs.getLong(5)));
        }
      }
    }
    return out;
  }

  private static void setRemaining(Connection c, TicketRef ticket, long remaining)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE ticket_claims SET remaining = ? WHERE device_id = ? AND serial = ?")) {
      update.setLong(1, remaining);
      update.setString(2, ticket.device().value());
      update.setLong(3, ticket.serial());
      update.executeUpdate();
    }
  }

  /** Takes the accounts' row locks in the order of their ids. */
  private static void lock(Connection c, List<String> accounts) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE accounts SET balance = balance WHERE id = ?")) {
      for (String account : new java.util.TreeSet<>(accounts)) {
        update.setString(1, account);
        if (update.executeUpdate() != 1) {
          throw new SQLException("no ledger account " + account);
        }
      }
    }
  }

  private void transfer(
      Connection c, Map<String, Long> legs, Reason reason, TicketRef ticket, long now)
      throws SQLException {
    long sum = legs.values().stream().mapToLong(Long::longValue).sum();
    if (sum != 0) {
      throw new IllegalArgumentException("transfer legs " + legs + " do not sum to 0");
    }
    String transferId = transferId();
    // The entries of a transfer go in one multi-row INSERT: one statement and one pass over the
    // indexes' pages instead of one per leg; kept prepared per connection (Statements).
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO ledger_entries (transfer_id, account_id, amount, entry_at, reason,"
                + " ticket_device, ticket_serial) VALUES ");
    for (int i = 0; i < legs.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?)");
    }
    PreparedStatement update =
        Statements.prepared(c, "UPDATE accounts SET balance = balance + ? WHERE id = ?");
    PreparedStatement insert = Statements.prepared(c, sql.toString());
    int at = 0;
    for (Map.Entry<String, Long> leg : new TreeMap<>(legs).entrySet()) {
      if (!leg.getKey().equals(POOL)) { // the pool's balance is the sum of its entries
        update.setLong(1, leg.getValue());
        update.setString(2, leg.getKey());
        // No foreign key checks the entries' accounts (V1037): this update is the check.
        if (update.executeUpdate() != 1) {
          throw new SQLException("no ledger account " + leg.getKey());
        }
      }
      insert.setString(at + 1, transferId);
      insert.setString(at + 2, leg.getKey());
      insert.setLong(at + 3, leg.getValue());
      insert.setLong(at + 4, now);
      insert.setString(at + 5, reason.code());
      if (ticket == null) {
        insert.setNull(at + 6, java.sql.Types.VARCHAR);
        insert.setNull(at + 7, java.sql.Types.BIGINT);
      } else {
        insert.setString(at + 6, ticket.device().value());
        insert.setLong(at + 7, ticket.serial());
      }
      at += 7;
    }
    insert.executeUpdate();
  }

  private String transferId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static Optional<Long> balance(Connection c, String accountId) throws SQLException {
    if (accountId.equals(POOL)) {
      return Optional.of(
          sum(c, "SELECT SUM(amount) FROM ledger_entries WHERE account_id = 'pool'"));
    }
    PreparedStatement select = Statements.prepared(c, "SELECT balance FROM accounts WHERE id = ?");
    select.setString(1, accountId);
    try (ResultSet rs = select.executeQuery()) {
      return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
    }
  }

  private static void insertAccount(Connection c, String id, String kind, String owner)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO accounts (id, kind, owner, balance) VALUES (?, ?, ?, 0)")) {
      insert.setString(1, id);
      insert.setString(2, kind);
      insert.setString(3, owner);
      insert.executeUpdate();
    }
  }

  private static long sum(Connection c, String sql) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql);
        ResultSet rs = select.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}

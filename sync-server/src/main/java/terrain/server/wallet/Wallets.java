// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.wallet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import terrain.core.store.Database;
import terrain.core.store.StoreException;
import terrain.server.ledger.Ledger;
import terrain.server.ledger.Transactions;

/**
 * Anonymous wallets. A wallet is known by a random bearer token (kept by the citizen's browser
 * cookie or app) and can be recovered with a printable recovery code; the database keeps only their
 * SHA-256, so a copy of it gives access to no wallet.
 */
public final class Wallets {
  private static final String RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  /** A new wallet: its id, and the secrets shown once to its owner. */
  public record Created(String id, String token, String recoveryCode) {}

  private final Database database;
  private final Ledger ledger;
  private final Clock clock;
  private final SecureRandom random;

  public Wallets(Database database, Ledger ledger, Clock clock, SecureRandom random) {
    this.database = Objects.requireNonNull(database, "database");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Creates a wallet and its ledger account. */
  public Created create() throws StoreException {
    String id = "w" + HexFormat.of().formatHex(bytes(12));
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    String recovery = recoveryCode();
    Transactions.run(
        database,
        "creating a wallet",
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO wallets (id, token_hash, recovery_code_hash, email, created_at)"
                      + " VALUES (?, ?, ?, NULL, ?)")) {
            insert.setString(1, id);
            insert.setString(2, sha256(token));
            insert.setString(3, sha256(normalizeRecovery(recovery)));
            insert.setLong(4, clock.instant().getEpochSecond());
            insert.executeUpdate();
          }
          ledger.openWallet(c, id);
          return null;
        });
    return new Created(id, token, recovery);
  }

  /** The id of the wallet whose bearer token this is. */
  public Optional<String> byToken(String token) throws StoreException {
    if (token == null || token.isBlank() || token.length() > 100) {
      return Optional.empty();
    }
    return find("token_hash", sha256(token.strip()));
  }

  /** The id of the wallet whose recovery code this is (any case, dashes and spaces ignored). */
  public Optional<String> byRecoveryCode(String code) throws StoreException {
    if (code == null || code.length() > 100) {
      return Optional.empty();
    }
    return find("recovery_code_hash", sha256(normalizeRecovery(code)));
  }

  private Optional<String> find(String column, String hash) throws StoreException {
    return Transactions.run(
        database,
        "finding a wallet",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT id FROM wallets WHERE " + column + " = ?")) {
            select.setString(1, hash);
            try (ResultSet rs = select.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }

  /** 20 characters without look-alikes (no I, O, 0, 1), grouped by four: 100 bits. */
  private String recoveryCode() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      if (i > 0 && i % 4 == 0) {
        out.append('-');
      }
      out.append(RECOVERY_ALPHABET.charAt(random.nextInt(RECOVERY_ALPHABET.length())));
    }
    return out.toString();
  }

  private static String normalizeRecovery(String code) {
    return code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
  }

  private byte[] bytes(int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
  }
}

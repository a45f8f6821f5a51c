// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.wallet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import terrain.core.id.WalletId;
import terrain.server.ledger.Ledger;
import terrain.server.ledger.Statements;
import terrain.server.ledger.Transactions;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * Anonymous wallets. A wallet is known by a random bearer token (kept by the citizen's browser
 * cookie or app) and can be recovered with a printable recovery code; the database keeps only their
 * SHA-256, so a copy of it gives access to no wallet.
 */
public final class Wallets {
  private static final String RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  /** A new wallet: its id, and the secrets shown once to its owner. */
  public record Created(WalletId id, String token, String recoveryCode) {}

  /** A wallet reopened with its recovery code: its new token (the old one no longer opens it). */
  public record Reopened(WalletId id, String token) {}

  private static final java.util.regex.Pattern EMAIL =
      java.util.regex.Pattern.compile("[^@\\s<>\"]{1,64}@[^@\\s<>\"]+\\.[^@\\s<>\".]{2,}");

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
    WalletId id = WalletId.of("w" + HexFormat.of().formatHex(bytes(12)));
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    String recovery = recoveryCode();
    Transactions.run(
        database,
        "creating a wallet",
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO wallets (id, token_hash, recovery_code_hash, email, created_at,"
                      + " spend_code_hash) VALUES (?, ?, ?, NULL, ?, ?)")) {
            insert.setString(1, id.value());
            insert.setString(2, sha256(token));
            insert.setString(3, sha256(normalizeRecovery(recovery)));
            insert.setLong(4, clock.instant().getEpochSecond());
            insert.setString(5, sha256(normalizeRecovery(spendCode(token))));
            insert.executeUpdate();
          }
          ledger.openWallet(c, id);
          return null;
        });
    return new Created(id, token, recovery);
  }

  /** The id of the wallet whose bearer token this is. */
  public Optional<WalletId> byToken(String token) throws StoreException {
    if (token == null || token.isBlank() || token.length() > 100) {
      return Optional.empty();
    }
    return find("token_hash", sha256(token.strip()));
  }

  /**
   * As {@link #byToken(String)}, in the caller's transaction: a claim finds its wallet on the
   * connection that writes the claim.
   */
  public Optional<WalletId> byToken(Connection c, String token) throws SQLException {
    if (token == null || token.isBlank() || token.length() > 100) {
      return Optional.empty();
    }
    PreparedStatement select =
        Statements.prepared(c, "SELECT id FROM wallets WHERE token_hash = ?");
    select.setString(1, sha256(token.strip()));
    try (ResultSet rs = select.executeQuery()) {
      return rs.next() ? Optional.of(WalletId.of(rs.getString(1))) : Optional.empty();
    }
  }

  /** The id of the wallet whose recovery code this is (any case, dashes and spaces ignored). */
  public Optional<WalletId> byRecoveryCode(String code) throws StoreException {
    if (code == null || code.length() > 100) {
      return Optional.empty();
    }
    return find("recovery_code_hash", sha256(normalizeRecovery(code)));
  }

  /**
   * The code a partner's cashier scans to debit the wallet: derived from the wallet's token, so
   * only its owner can show it and the server keeps only its hash. 16 characters, 80 bits.
   */
  public static String spendCode(String token) {
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("terrain-spend:" + token.strip()).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      if (i > 0 && i % 4 == 0) {
        out.append('-');
      }
      out.append(RECOVERY_ALPHABET.charAt(digest[i] & 31));
    }
    return out.toString();
  }

  /** Records the wallet's spend code when it has none yet (wallets made before spend codes). */
  public void ensureSpendCode(WalletId walletId, String token) throws StoreException {
    Transactions.run(
        database,
        "recording a spend code",
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE wallets SET spend_code_hash = ? WHERE id = ? AND spend_code_hash IS"
                      + " NULL")) {
            update.setString(1, sha256(normalizeRecovery(spendCode(token))));
            update.setString(2, walletId.value());
            update.executeUpdate();
          }
          return null;
        });
  }

  /** The wallet whose spend code this is (any case, dashes and spaces ignored). */
  public Optional<WalletId> bySpendCode(String code) throws StoreException {
    if (code == null || code.isBlank() || code.length() > 100) {
      return Optional.empty();
    }
    return find("spend_code_hash", sha256(normalizeRecovery(code)));
  }

  /**
   * Reopens the wallet of a recovery code with a new token; its old token (another phone, a lost
   * one) and its old spend code stop working.
   */
  public Optional<Reopened> recover(String code) throws StoreException {
    Optional<WalletId> id = byRecoveryCode(code);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    Transactions.run(
        database,
        "reopening a wallet",
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE wallets SET token_hash = ?, spend_code_hash = ? WHERE id = ?")) {
            update.setString(1, sha256(token));
            update.setString(2, sha256(normalizeRecovery(spendCode(token))));
            update.setString(3, id.get().value());
            update.executeUpdate();
          }
          return null;
        });
    return Optional.of(new Reopened(id.get(), token));
  }

  /**
   * The address as stored (trimmed, domain in lower case), or empty when it is not an e-mail
   * address.
   */
  public static Optional<String> normalizeEmail(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    String email = typed.strip();
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      return Optional.empty();
    }
    int at = email.lastIndexOf('@');
    return Optional.of(
        email.substring(0, at + 1) + email.substring(at + 1).toLowerCase(Locale.ROOT));
  }

  /** Links an address to the wallet, or unlinks it (null). The address must be normalized. */
  public void setEmail(WalletId walletId, String email) throws StoreException {
    if (email != null && !normalizeEmail(email).equals(Optional.of(email))) {
      throw new IllegalArgumentException("[" + email + "] is not a normalized e-mail address");
    }
    Transactions.run(
        database,
        "linking an e-mail address to a wallet",
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE wallets SET email = ?, email_at = ? WHERE id = ?")) {
            update.setString(1, email);
            if (email == null) {
              update.setNull(2, java.sql.Types.BIGINT);
            } else {
              update.setLong(2, clock.instant().getEpochSecond());
            }
            update.setString(3, walletId.value());
            update.executeUpdate();
          }
          return null;
        });
  }

  /** The address linked to the wallet, if any. */
  public Optional<String> email(WalletId walletId) throws StoreException {
    return Transactions.run(
        database,
        "reading a wallet's e-mail address",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT email FROM wallets WHERE id = ?")) {
            select.setString(1, walletId.value());
            try (ResultSet rs = select.executeQuery()) {
              return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }

  private Optional<WalletId> find(String column, String hash) throws StoreException {
    return Transactions.run(database, "finding a wallet", c -> find(c, column, hash));
  }

  private static Optional<WalletId> find(Connection c, String column, String hash)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT id FROM wallets WHERE " + column + " = ?")) {
      select.setString(1, hash);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(WalletId.of(rs.getString(1))) : Optional.empty();
      }
    }
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

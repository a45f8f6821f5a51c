// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import terrain.server.ledger.Transactions;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * The staff accounts, their sessions and bearer tokens, and the audit log, in the server's database
 * (tables of migration V1032). Each method is one short transaction on a pooled connection. Session
 * ids and tokens arrive here already hashed ({@link Secrets#hash}).
 */
public final class StaffAccounts {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

  /** The rule of account names, for messages. */
  public static final String NAME_RULE =
      "2 to 64 of a-z 0-9 . _ - (lower case, starting with a letter or digit), e.g. claire.martin";

  /** The most audit entries one read returns. */
  public static final int MAX_AUDIT = 1000;

  /** One account as stored (the password hash stays here). */
  public record Account(
      String name,
      Role role,
      boolean disabled,
      long createdAt,
      String createdBy,
      String passwordHash) {}

  /** One bearer token of an account (never the token itself). */
  public record Token(
      String id,
      String account,
      String label,
      long createdAt,
      String createdBy,
      Long lastUsedAt,
      Long revokedAt) {
    public boolean revoked() {
      return revokedAt != null;
    }
  }

  /** A session or a token found by its hash, with its account as it is now. */
  public record Holder(
      String account, Role role, boolean disabled, long lastSeenAt, long expiresAt) {}

  /** One line of the audit log. */
  public record AuditEntry(
      long id,
      long atMillis,
      String actor,
      String via,
      String action,
      String target,
      String detail,
      String address) {}

  private final Database database;

  public StaffAccounts(Database database) {
    this.database = database;
  }

  /** True when {@code name} follows {@link #NAME_RULE}. */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** How many accounts exist (disabled ones too). */
  public int count() throws StoreException {
    return Transactions.run(
        database,
        "counting staff accounts",
        c -> {
          try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM staff_accounts");
              ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  /** Creates an account; false when the name is taken. */
  public boolean create(String name, Role role, String passwordHash, String by, long now)
      throws StoreException {
    try {
      return Transactions.run(
          database,
          "creating the staff account " + name,
          c -> {
            if (find(c, name).isPresent()) {
              return false;
            }
            try (PreparedStatement s =
                c.prepareStatement(
                    "INSERT INTO staff_accounts (name, role, password_hash, disabled, created_at,"
                        + " created_by, changed_at) VALUES (?, ?, ?, 0, ?, ?, ?)")) {
              s.setString(1, name);
              s.setString(2, role.id());
              s.setString(3, passwordHash);
              s.setLong(4, now);
              s.setString(5, cut(by, 64));
              s.setLong(6, now);
              s.executeUpdate();
            }
            return true;
          });
    } catch (StoreException e) {
      if (account(name).isPresent()) {
        return false;
      }
      throw e;
    }
  }

  public Optional<Account> account(String name) throws StoreException {
    return Transactions.run(database, "reading the staff account " + name, c -> find(c, name));
  }

  /** Every account, by name. */
  public List<Account> list() throws StoreException {
    return Transactions.run(
        database,
        "listing staff accounts",
        c -> {
          List<Account> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT name, role, disabled, created_at, created_by, password_hash"
                          + " FROM staff_accounts ORDER BY name");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(account(rs));
            }
          }
          return out;
        });
  }

  /** Changes an account's role; false when there is no such account. */
  public boolean setRole(String name, Role role, long now) throws StoreException {
    return update(
        "UPDATE staff_accounts SET role = ?, changed_at = ? WHERE name = ?", name, role.id(), now);
  }

  /** Changes an account's password hash; false when there is no such account. */
  public boolean setPassword(String name, String passwordHash, long now) throws StoreException {
    return update(
        "UPDATE staff_accounts SET password_hash = ?, changed_at = ? WHERE name = ?",
        name,
        passwordHash,
        now);
  }

  /**
   * Disables or enables an account; disabling also ends its sessions, in the same transaction.
   * False when there is no such account.
   */
  public boolean setDisabled(String name, boolean disabled, long now) throws StoreException {
    return Transactions.run(
        database,
        (disabled ? "disabling" : "enabling") + " the staff account " + name,
        c -> {
          int changed;
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE staff_accounts SET disabled = ?, changed_at = ? WHERE name = ?")) {
            s.setInt(1, disabled ? 1 : 0);
            s.setLong(2, now);
            s.setString(3, name);
            changed = s.executeUpdate();
          }
          if (changed > 0 && disabled) {
            deleteSessions(c, name);
          }
          return changed > 0;
        });
  }

  private boolean update(String sql, String name, String value, long now) throws StoreException {
    return Transactions.run(
        database,
        "changing the staff account " + name,
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            s.setLong(2, now);
            s.setString(3, name);
            return s.executeUpdate() > 0;
          }
        });
  }

  // ---- sessions ----

  public void createSession(String idHash, String account, long now, long expiresAt, String address)
      throws StoreException {
    Transactions.run(
        database,
        "opening a staff session",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO staff_sessions (id_hash, account, created_at, last_seen_at,"
                      + " expires_at, address) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, idHash);
            s.setString(2, account);
            s.setLong(3, now);
            s.setLong(4, now);
            s.setLong(5, expiresAt);
            s.setString(6, cut(address, 64));
            s.executeUpdate();
          }
          return null;
        });
  }

  /** The session of {@code idHash} with its account, or empty. */
  public Optional<Holder> session(String idHash) throws StoreException {
    return Transactions.run(
        database,
        "reading a staff session",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT a.name, a.role, a.disabled, s.last_seen_at, s.expires_at FROM"
                      + " staff_sessions s JOIN staff_accounts a ON a.name = s.account"
                      + " WHERE s.id_hash = ?")) {
            s.setString(1, idHash);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new Holder(
                      rs.getString(1),
                      Role.parse(rs.getString(2)).orElseThrow(),
                      rs.getInt(3) != 0,
                      rs.getLong(4),
                      rs.getLong(5)));
            }
          }
        });
  }

  /** Notes that the session was used now (its idle expiry starts again). */
  public void touchSession(String idHash, long now) throws StoreException {
    Transactions.run(
        database,
        "touching a staff session",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?")) {
            s.setLong(1, now);
            s.setString(2, idHash);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** Ends one session (sign-out, or expired); false when it was not there. */
  public boolean endSession(String idHash) throws StoreException {
    return Transactions.run(
        database,
        "ending a staff session",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM staff_sessions WHERE id_hash = ?")) {
            s.setString(1, idHash);
            return s.executeUpdate() > 0;
          }
        });
  }

  /** Ends every session of an account; how many there were. */
  public int endSessions(String account) throws StoreException {
    return Transactions.run(
        database, "ending the sessions of " + account, c -> deleteSessions(c, account));
  }

  /** How many sessions each account has open, by name (accounts without any are absent). */
  public java.util.Map<String, Integer> openSessions(long now) throws StoreException {
    return Transactions.run(
        database,
        "counting staff sessions",
        c -> {
          java.util.Map<String, Integer> out = new java.util.HashMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT account, COUNT(*) FROM staff_sessions WHERE expires_at > ?"
                      + " GROUP BY account")) {
            s.setLong(1, now);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
              }
            }
          }
          return out;
        });
  }

  /** Deletes the sessions past their absolute expiry or idle since {@code idleBefore}. */
  public int purgeSessions(long now, long idleBefore) throws StoreException {
    return Transactions.run(
        database,
        "removing expired staff sessions",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "DELETE FROM staff_sessions WHERE expires_at <= ? OR last_seen_at < ?")) {
            s.setLong(1, now);
            s.setLong(2, idleBefore);
            return s.executeUpdate();
          }
        });
  }

  private static int deleteSessions(Connection c, String account) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM staff_sessions WHERE account = ?")) {
      s.setString(1, account);
      return s.executeUpdate();
    }
  }

  // ---- tokens ----

  /** Stores a new token of {@code account}; false when there is no such account. */
  public boolean createToken(
      String id, String account, String tokenHash, String label, String by, long now)
      throws StoreException {
    return Transactions.run(
        database,
        "creating a token for " + account,
        c -> {
          if (find(c, account).isEmpty()) {
            return false;
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO staff_tokens (id, account, token_hash, label, created_at,"
                      + " created_by) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, account);
            s.setString(3, tokenHash);
            s.setString(4, cut(label, 100));
            s.setLong(5, now);
            s.setString(6, cut(by, 64));
            s.executeUpdate();
          }
          return true;
        });
  }

  /** The account of a token that is not revoked, or empty. */
  public Optional<Holder> token(String tokenHash) throws StoreException {
    return Transactions.run(
        database,
        "reading a staff token",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT a.name, a.role, a.disabled FROM staff_tokens t JOIN staff_accounts a"
                      + " ON a.name = t.account WHERE t.token_hash = ? AND t.revoked_at IS NULL")) {
            s.setString(1, tokenHash);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new Holder(
                      rs.getString(1),
                      Role.parse(rs.getString(2)).orElseThrow(),
                      rs.getInt(3) != 0,
                      0,
                      Long.MAX_VALUE));
            }
          }
        });
  }

  /** Notes that a token was used now. */
  public void touchToken(String tokenHash, long now) throws StoreException {
    Transactions.run(
        database,
        "touching a staff token",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("UPDATE staff_tokens SET last_used_at = ? WHERE token_hash = ?")) {
            s.setLong(1, now);
            s.setString(2, tokenHash);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** Revokes a token of {@code account}; false when it has no such token not yet revoked. */
  public boolean revokeToken(String account, String id, long now) throws StoreException {
    return Transactions.run(
        database,
        "revoking a token of " + account,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE staff_tokens SET revoked_at = ? WHERE account = ? AND id = ?"
                      + " AND revoked_at IS NULL")) {
            s.setLong(1, now);
            s.setString(2, account);
            s.setString(3, id);
            return s.executeUpdate() > 0;
          }
        });
  }

  /** The tokens of an account (revoked ones too), newest first. */
  public List<Token> tokens(String account) throws StoreException {
    return Transactions.run(
        database,
        "listing the tokens of " + account,
        c -> {
          List<Token> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT id, account, label, created_at, created_by, last_used_at, revoked_at"
                      + " FROM staff_tokens WHERE account = ? ORDER BY created_at DESC, id")) {
            s.setString(1, account);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                long used = rs.getLong(6);
                Long lastUsed = rs.wasNull() ? null : used;
                long revoked = rs.getLong(7);
                Long revokedAt = rs.wasNull() ? null : revoked;
                out.add(
                    new Token(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getString(5),
                        lastUsed,
                        revokedAt));
              }
            }
          }
          return out;
        });
  }

  // ---- audit ----

  /** Appends one entry to the audit log; its fields are cut to their columns' sizes. */
  public void audit(
      long atMillis,
      String actor,
      String via,
      String action,
      String target,
      String detail,
      String address)
      throws StoreException {
    Transactions.run(
        database,
        "writing the audit log",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO staff_audit (at_millis, actor, via, action, target, detail,"
                      + " address) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, atMillis);
            s.setString(2, cut(actor, 64));
            s.setString(3, cut(via, 16));
            s.setString(4, cut(action, 64));
            s.setString(5, cut(target, 300));
            s.setString(6, cut(detail, 1000));
            s.setString(7, cut(address, 64));
            s.executeUpdate();
          }
          return null;
        });
  }

  /**
   * The newest audit entries first, at most {@code limit}, optionally only those of one actor or
   * whose action starts with {@code actionPrefix}.
   */
  public List<AuditEntry> audit(int limit, String actor, String actionPrefix)
      throws StoreException {
    if (limit < 1 || limit > MAX_AUDIT) {
      throw new IllegalArgumentException("limit [" + limit + "] must be 1 to " + MAX_AUDIT);
    }
    return Transactions.run(
        database,
        "reading the audit log",
        c -> {
          StringBuilder sql =
              new StringBuilder(
                  "SELECT id, at_millis, actor, via, action, target, detail, address"
                      + " FROM staff_audit WHERE 1 = 1");
          List<String> args = new ArrayList<>();
          if (actor != null) {
            sql.append(" AND actor = ?");
            args.add(actor);
          }
          if (actionPrefix != null) {
            sql.append(" AND action LIKE ? ESCAPE '!'");
            args.add(actionPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
          }
          sql.append(" ORDER BY id DESC");
          List<AuditEntry> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              s.setString(i + 1, args.get(i));
            }
            s.setMaxRows(limit);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new AuditEntry(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8)));
              }
            }
          }
          return out;
        });
  }

  private static Optional<Account> find(Connection c, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT name, role, disabled, created_at, created_by, password_hash"
                + " FROM staff_accounts WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(account(rs)) : Optional.empty();
      }
    }
  }

  private static Account account(ResultSet rs) throws SQLException {
    return new Account(
        rs.getString(1),
        Role.parse(rs.getString(2)).orElseThrow(),
        rs.getInt(3) != 0,
        rs.getLong(4),
        rs.getString(5),
        rs.getString(6));
  }

  private static String cut(String text, int max) {
    String t = text == null ? "" : text;
    return t.length() <= max ? t : t.substring(0, max);
  }
}

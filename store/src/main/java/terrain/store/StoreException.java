// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

/** The node's own database cannot do what was asked; the message says what to check. */
public final class StoreException extends Exception {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Turns a JDBC failure into a message an operator can act on. */
  public static StoreException of(String action, java.sql.SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String hint;
    if (state.equals("XSDG1") || state.equals("53100") || mentionsFullDisk(e)) {
      hint = " The disk looks full: free some space; nothing already committed is lost.";
    } else if (state.equals("XSDB6") || state.equals("XJ040")) {
      hint = " Another process uses this database: stop it, or use another --data folder.";
    } else if (state.startsWith("08")) {
      hint = " The database is unreachable: check that it runs and the URL (--db).";
    } else {
      hint = "";
    }
    return new StoreException(
        "Database error while "
            + action
            + ": "
            + e.getMessage()
            + " (SQLState "
            + state
            + ")."
            + hint,
        e);
  }

  private static boolean mentionsFullDisk(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("No space left") || m.contains("disk is full"))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.sql.SQLException;

/**
 * The one error of a packed row that does not decode ({@code map_pins}, {@code map_heat}, {@code
 * text_packs}, {@code profile_counts}, {@code device_counts}): the server wrote it, so only a
 * damaged database holds such a row, and the way out is a backup. SQLState XX001 (PostgreSQL's
 * data_corrupted).
 */
public final class DamagedRow {
  private DamagedRow() {}

  /**
   * @param table the packed table
   * @param bytes the row's packed length
   * @param why what did not decode
   * @param cause the decoding error, or null
   */
  public static SQLException of(String table, int bytes, String why, Throwable cause) {
    return new SQLException(
        "a "
            + table
            + " row of "
            + bytes
            + " bytes is damaged ("
            + why
            + "): restore the database from a backup",
        "XX001",
        cause);
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package db.migration.server;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import terrain.server.representativeness.ProfileFolding;
import terrain.server.results.Folding;

/**
 * The results' read path in one shape (issue 14, decision 0052), in one transaction on Derby and
 * PostgreSQL.
 *
 * <p>{@code map_heat}: the heat grid of a map question kept as counts by the ingest, one row per
 * event, question and batch (a few per batch), each cell's pins counted (varints, {@code MapHeat});
 * the results summary sums these rows instead of decoding every pin. A row is named after the first
 * record it counts (device_id, seq), as {@code profile_counts} (decision 0044): two server
 * instances never write the same row.
 *
 * <p>Then the rows kept in older shapes are folded into the packed ones, which packing in portable
 * SQL cannot do, hence Java: pins stored before V1027 move from {@code free_answers} to {@code
 * map_pins}, every pin stored so far is counted into one {@code map_heat} row per event and
 * question, and the counts kept before V1036 in {@code profile_cells}, {@code profile_tallies} and
 * {@code device_tallies} become {@code profile_counts} and {@code device_counts} rows. Folded rows
 * are named after seq 0, which no record has. The old tables are emptied, not dropped: a server of
 * the previous version still running against a shared PostgreSQL reads them and the packed rows and
 * sums them, which gives the same figures before and after this transaction commits. They can be
 * dropped by a later migration.
 */
public class V1041__Map_heat_and_older_counts_folded extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    String binary = context.getConfiguration().getPlaceholders().get("binary");
    try (Statement create = c.createStatement()) {
      create.execute(
          "CREATE TABLE map_heat ("
              + " event_id VARCHAR(64) NOT NULL,"
              + " question_id VARCHAR(64) NOT NULL,"
              + " device_id VARCHAR(64) NOT NULL,"
              + " seq BIGINT NOT NULL,"
              + " pins BIGINT NOT NULL,"
              + " packed "
              + binary
              + " NOT NULL,"
              + " CONSTRAINT map_heat_pk PRIMARY KEY (event_id, question_id, device_id, seq))");
    }
    Folding.foldOlderRows(c);
    ProfileFolding.foldOlderRows(c);
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import terrain.testkit.Postgres;

/** The ticket checks on PostgreSQL (TERRAIN_TEST_PG_URL), in a fresh schema. */
class PostgresTicketChecksTest extends TicketChecksTest {
  private Postgres.Schema schema;

  @Override
  String databaseUrl() throws Exception {
    schema = Postgres.freshSchema();
    return schema.url();
  }

  @Override
  void afterServerStopped() throws Exception {
    if (schema != null) {
      schema.drop();
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import terrain.testkit.Postgres;

/** The signatures checked at rest on PostgreSQL (TERRAIN_TEST_PG_URL), in a fresh schema. */
class PostgresSignaturesAtRestTest extends SignaturesAtRestTest {
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

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import terrain.server.testkit.TestEnv;

/** The claim API on PostgreSQL (TERRAIN_TEST_PG_URL), in a fresh schema. */
class PostgresClaimApiTest extends ClaimApiTest {
  private TestEnv.PgSchema schema;

  @Override
  String databaseUrl() throws Exception {
    schema = TestEnv.freshPostgresSchema();
    return schema.url();
  }

  @Override
  void afterServerStopped() throws Exception {
    if (schema != null) {
      schema.drop();
    }
  }
}

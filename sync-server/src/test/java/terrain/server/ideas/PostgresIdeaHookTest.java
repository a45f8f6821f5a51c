// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ideas;

import terrain.server.testkit.TestEnv;
import terrain.store.Database;

/** The same contract on PostgreSQL (TERRAIN_TEST_PG_URL), in a fresh schema per test. */
class PostgresIdeaHookTest extends IdeaHookContract {
  private TestEnv.PgSchema schema;

  @Override
  Database openDatabase() throws Exception {
    schema = TestEnv.freshPostgresSchema();
    return Database.open(schema.url(), "classpath:db/migration/server");
  }

  @Override
  void afterClose() throws Exception {
    if (schema != null) {
      schema.drop();
    }
  }
}

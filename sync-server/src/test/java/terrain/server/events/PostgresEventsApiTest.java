// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.events;

import terrain.testkit.Postgres;

/** Publishing events on PostgreSQL (TERRAIN_TEST_PG_URL), in a fresh schema. */
class PostgresEventsApiTest extends EventsApiTest {
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

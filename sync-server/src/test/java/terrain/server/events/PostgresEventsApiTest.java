// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.events;

import terrain.server.testkit.MigratedPostgres;

/** Publishing events on PostgreSQL (TERRAIN_TEST_PG_URL), in a copy of a migrated database. */
class PostgresEventsApiTest extends EventsApiTest {
  private MigratedPostgres.Copy copy;

  @Override
  String databaseUrl() throws Exception {
    copy = MigratedPostgres.freshCopy();
    return copy.url();
  }

  @Override
  void afterServerStopped() throws Exception {
    if (copy != null) {
      copy.drop();
    }
  }
}

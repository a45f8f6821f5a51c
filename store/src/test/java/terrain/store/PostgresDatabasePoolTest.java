// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.testkit.Postgres;

/** The pool contract on PostgreSQL, in a fresh schema per test (TERRAIN_TEST_PG_URL). */
class PostgresDatabasePoolTest extends DatabasePoolContract {
  @RegisterExtension final Postgres postgres = new Postgres();

  @Override
  Database openDatabase() throws Exception {
    return Database.open(postgres.schema().url());
  }
}

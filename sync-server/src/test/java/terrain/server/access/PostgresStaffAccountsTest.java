// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.store.Database;
import terrain.testkit.Postgres;

/** The same contract on PostgreSQL (TERRAIN_TEST_PG_URL), in a fresh schema per test. */
class PostgresStaffAccountsTest extends StaffAccountsContract {
  @RegisterExtension final Postgres postgres = new Postgres();

  @Override
  protected Database openDatabase() throws Exception {
    return postgres(postgres);
  }
}

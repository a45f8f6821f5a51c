// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.server.testkit.MigratedPostgres;
import terrain.store.Database;

/**
 * The same contract on PostgreSQL (TERRAIN_TEST_PG_URL), in a copy of a migrated database per test.
 */
class PostgresMailOutboxTest extends MailOutboxContract {
  @RegisterExtension final MigratedPostgres postgres = new MigratedPostgres();

  @Override
  protected Database openDatabase() throws Exception {
    return postgres(postgres);
  }
}

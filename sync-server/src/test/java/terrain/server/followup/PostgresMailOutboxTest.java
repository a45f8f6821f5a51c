// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.store.Database;
import terrain.testkit.Postgres;

/** The same contract on PostgreSQL (TERRAIN_TEST_PG_URL), in a fresh schema per test. */
class PostgresMailOutboxTest extends MailOutboxContract {
  @RegisterExtension final Postgres postgres = new Postgres();

  @Override
  protected Database openDatabase() throws Exception {
    return postgres(postgres);
  }
}

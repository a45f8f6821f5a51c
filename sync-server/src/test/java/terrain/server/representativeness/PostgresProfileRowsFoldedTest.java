// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.testkit.Postgres;

/** The same contract on PostgreSQL (TERRAIN_TEST_PG_URL), in a fresh schema per test. */
class PostgresProfileRowsFoldedTest extends ProfileRowsFoldedContract {
  @RegisterExtension final Postgres postgres = new Postgres();

  @Override
  protected String emptyUrl() throws Exception {
    return postgres.schema().url();
  }
}

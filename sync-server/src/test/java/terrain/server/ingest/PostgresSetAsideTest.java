// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.testkit.Postgres;

/** Records of revoked devices kept aside, on PostgreSQL (--db) in a fresh schema per test. */
class PostgresSetAsideTest extends SetAsideContract {
  @RegisterExtension final Postgres postgres = new Postgres();

  @Override
  String databaseUrl() throws Exception {
    return postgres.schema().url();
  }
}

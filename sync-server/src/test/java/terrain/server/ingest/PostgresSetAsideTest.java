// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.server.testkit.MigratedPostgres;

/**
 * Records of revoked devices kept aside, on PostgreSQL (--db) in a copy of a migrated database per
 * test.
 */
class PostgresSetAsideTest extends SetAsideContract {
  @RegisterExtension final MigratedPostgres postgres = new MigratedPostgres();

  @Override
  String databaseUrl() throws Exception {
    return postgres.copy().url();
  }
}

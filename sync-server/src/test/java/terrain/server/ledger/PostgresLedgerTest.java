// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ledger;

import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.server.testkit.MigratedPostgres;
import terrain.store.Database;

/**
 * The same contract on PostgreSQL (TERRAIN_TEST_PG_URL), in a copy of a migrated database per test.
 */
class PostgresLedgerTest extends LedgerContract {
  @RegisterExtension final MigratedPostgres postgres = new MigratedPostgres();

  @Override
  protected Database openDatabase() throws Exception {
    return postgres(postgres);
  }

  /**
   * Two random sequences instead of eight: the sequences check the ledger's logic, which Derby's
   * run covers with eight; here they check the same statements on PostgreSQL, where each step costs
   * about 40 times more (measured 2026-12-04: 118 s for eight, most of the CI budget of this
   * module).
   */
  @Override
  int seeds() {
    return 2;
  }
}

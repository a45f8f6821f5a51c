// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.server.testkit.MigratedPostgres;
import terrain.server.testkit.TestEnv;

/**
 * The ingest into PostgreSQL (--db), in a copy of a migrated database per test, with the embedded
 * broker.
 */
class PostgresIngestTest extends IngestContract {
  @RegisterExtension final MigratedPostgres postgres = new MigratedPostgres();

  @Override
  ServerConfig config(Path dir) throws Exception {
    return TestEnv.config(dir, null, postgres.copy().url(), List.of());
  }

  @Override
  String brokerUrl(SyncServer server) {
    return "tcp://127.0.0.1:" + server.brokerPort();
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import terrain.server.testkit.TestEnv;
import terrain.testkit.Postgres;

/** The ingest into PostgreSQL (--db), in a fresh schema per test, with the embedded broker. */
class PostgresIngestTest extends IngestContract {
  @RegisterExtension final Postgres postgres = new Postgres();

  @Override
  ServerConfig config(Path dir) throws Exception {
    return TestEnv.config(dir, null, postgres.schema().url(), List.of());
  }

  @Override
  String brokerUrl(SyncServer server) {
    return "tcp://127.0.0.1:" + server.brokerPort();
  }
}

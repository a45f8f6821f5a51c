// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import java.nio.file.Path;
import java.util.List;
import terrain.server.testkit.TestEnv;

/** The ingest into PostgreSQL (--db), in a fresh schema per test, with the embedded broker. */
class PostgresIngestTest extends IngestContract {
  private TestEnv.PgSchema schema;

  @Override
  ServerConfig config(Path dir) throws Exception {
    schema = TestEnv.freshPostgresSchema();
    return TestEnv.config(dir, null, schema.url(), List.of());
  }

  @Override
  void afterServerStopped() throws Exception {
    if (schema != null) {
      schema.drop();
    }
  }

  @Override
  String brokerUrl(SyncServer server) {
    return "tcp://127.0.0.1:" + server.brokerPort();
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import java.nio.file.Path;
import java.util.List;
import terrain.server.testkit.TestEnv;

/** The ingest on the default set-up: embedded HiveMQ and Derby in the data folder. */
class EmbeddedBrokerIngestTest extends IngestContract {
  @Override
  ServerConfig config(Path dir) {
    return TestEnv.config(dir, null, null, List.of());
  }

  @Override
  String brokerUrl(SyncServer server) {
    return "tcp://127.0.0.1:" + server.brokerPort();
  }
}

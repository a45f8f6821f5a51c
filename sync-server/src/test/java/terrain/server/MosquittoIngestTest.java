// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import java.nio.file.Path;
import java.util.List;
import terrain.server.testkit.TestEnv;

/** The ingest through an external broker (--broker, the machine's Mosquitto), no embedded one. */
class MosquittoIngestTest extends IngestContract {
  @Override
  ServerConfig config(Path dir) {
    return TestEnv.config(dir, TestEnv.mosquittoUrl(), null, List.of());
  }

  @Override
  String brokerUrl(SyncServer server) {
    return TestEnv.mosquittoUrl();
  }
}

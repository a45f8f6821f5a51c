// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import terrain.core.event.EventDefinition;
import terrain.transport.MqttCredentials;

/**
 * A real field hub for the kiosk's workshop tests (its configuration is internal to the hub's
 * package): development keys, loopback, an ephemeral MQTT port, following {@code event}'s room.
 */
public final class WorkshopHub implements AutoCloseable {
  private final Hub hub;

  private WorkshopHub(Hub hub) {
    this.hub = hub;
  }

  public static WorkshopHub start(Path data, EventDefinition event) throws Exception {
    int unreachableUplink;
    try (ServerSocket socket = new ServerSocket(0)) {
      unreachableUplink = socket.getLocalPort();
    }
    return new WorkshopHub(
        Hub.start(
            HubConfig.of(
                    data,
                    0,
                    0,
                    "tcp://127.0.0.1:" + unreachableUplink,
                    "hub-atelier",
                    MqttCredentials.DEVELOPMENT_KEY,
                    MqttCredentials.DEVELOPMENT_KEY)
                .withBindAddress("127.0.0.1")
                .withEvents(List.of(event)),
            Clock.systemUTC(),
            new SecureRandom()));
  }

  /** The hub's broker, for the tablets. */
  public String uri() {
    return "tcp://127.0.0.1:" + hub.mqttPort();
  }

  @Override
  public void close() throws Exception {
    hub.close();
  }
}

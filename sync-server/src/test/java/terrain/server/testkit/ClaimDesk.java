// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.testkit;

import java.time.Duration;
import java.util.List;
import terrain.core.record.Record;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.SyncServer;
import terrain.testkit.MqttPeer;

/**
 * What the claim tests do to a running server: a kiosk's records synced straight to it, its key
 * registered, a wallet opened, a code claimed.
 */
public final class ClaimDesk {
  private final SyncServer server;
  private final Http http;

  public ClaimDesk(SyncServer server, Http http) {
    this.server = server;
    this.http = http;
  }

  /** Sends records as their device does, straight to the server, and waits for the ack. */
  public void sync(Tickets device, Record... records) throws Exception {
    try (MqttPeer peer = Peers.device(broker(), device.device())) {
      peer.publish(
          Topics.deviceUp(device.device()), new Batch(device.device(), 1, List.of(records)));
      peer.nextAck(Duration.ofSeconds(20));
    }
  }

  /** The server's embedded broker. */
  public String broker() {
    return "tcp://127.0.0.1:" + server.brokerPort();
  }

  /** The device's key, as provisioning registers it. */
  public void register(Tickets device) throws Exception {
    server.devices().register(device.device(), device.keys().publicKeyRaw(), 0);
  }

  /** A new wallet's bearer token. */
  public String wallet() throws Exception {
    return http.send("POST", "/api/wallets", null).json().path("token").asText();
  }

  /** Claims {@code code} into the wallet of {@code token}. */
  public Http.Reply claim(String token, String code) throws Exception {
    return http.send("POST", "/api/claims", "{\"code\":\"" + code + "\"}", auth(token));
  }

  /** The header of a bearer token. */
  public static String[] auth(String token) {
    return new String[] {"Authorization", "Bearer " + token};
  }
}

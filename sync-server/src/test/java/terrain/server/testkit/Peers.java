// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.testkit;

import org.eclipse.paho.mqttv5.common.MqttException;
import terrain.core.record.DeviceId;
import terrain.core.wire.Topics;
import terrain.testkit.MqttPeer;
import terrain.transport.MqttCredentials;

/** Hand-driven field hubs and devices for the server's tests, with the development key. */
public final class Peers {
  private Peers() {}

  /** Connects as {@code hub:{hubId}} (client id = hubId), subscribed to the hub's ack topic. */
  public static MqttPeer hub(String brokerUrl, DeviceId hubId) throws MqttException {
    return connect(
        brokerUrl, hubId, MqttCredentials.hubUsername(hubId.value()), Topics.hubAck(hubId));
  }

  /** Connects as {@code dev:{deviceId}}, a device talking to the server directly. */
  public static MqttPeer device(String brokerUrl, DeviceId deviceId) throws MqttException {
    return connect(
        brokerUrl,
        deviceId,
        MqttCredentials.deviceUsername(deviceId.value()),
        Topics.deviceAck(deviceId));
  }

  private static MqttPeer connect(String brokerUrl, DeviceId id, String username, String ack)
      throws MqttException {
    MqttPeer peer =
        MqttPeer.Options.of(brokerUrl, id.value())
            .as(username, MqttCredentials.passwordFor(MqttCredentials.DEVELOPMENT_KEY, username))
            .connect();
    try {
      peer.subscribe(ack);
    } catch (MqttException | RuntimeException e) {
      peer.close();
      throw e;
    }
    return peer;
  }
}

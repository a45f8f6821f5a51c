// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;
import terrain.core.wire.Ack;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.transport.MqttCredentials;

/**
 * A hand-driven field hub (or device) for tests: a plain Paho v5 client that publishes payloads on
 * its up topic and collects the acks that come back.
 */
public final class HubClient implements AutoCloseable {
  private final MqttClient client;
  private final String upTopic;
  private final BlockingQueue<byte[]> acks = new LinkedBlockingQueue<>();

  private HubClient(MqttClient client, String upTopic) {
    this.client = client;
    this.upTopic = upTopic;
  }

  /** Connects as {@code hub:{hubId}} (client id = hubId) and subscribes to the hub's ack topic. */
  public static HubClient hub(String brokerUrl, DeviceId hubId) throws MqttException {
    return connect(
        brokerUrl,
        hubId.value(),
        MqttCredentials.hubUsername(hubId.value()),
        Topics.hubUp(hubId),
        Topics.hubAck(hubId));
  }

  /** Connects as {@code dev:{deviceId}}, a device talking to the server directly. */
  public static HubClient device(String brokerUrl, DeviceId deviceId) throws MqttException {
    return connect(
        brokerUrl,
        deviceId.value(),
        MqttCredentials.deviceUsername(deviceId.value()),
        Topics.deviceUp(deviceId),
        Topics.deviceAck(deviceId));
  }

  private static HubClient connect(
      String brokerUrl, String clientId, String username, String up, String ack)
      throws MqttException {
    MqttClient client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
    HubClient hub = new HubClient(client, up);
    client.setCallback(
        new MqttCallback() {
          @Override
          public void messageArrived(String topic, MqttMessage message) {
            hub.acks.add(message.getPayload());
          }

          @Override
          public void disconnected(MqttDisconnectResponse response) {}

          @Override
          public void mqttErrorOccurred(MqttException exception) {}

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverURI) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setSessionExpiryInterval(0L);
    options.setUserName(username);
    options.setPassword(
        MqttCredentials.passwordFor(MqttCredentials.DEVELOPMENT_KEY, username)
            .getBytes(StandardCharsets.UTF_8));
    client.connect(options);
    client.subscribe(ack, 1);
    return hub;
  }

  /** Publishes at QoS 1 on the up topic and returns once the broker has it. */
  public void publish(byte[] payload) throws MqttException {
    client.publish(upTopic, new MqttMessage(payload, 1, false, new MqttProperties()));
  }

  /** The next ack, decoded; fails if none comes in time. */
  public Ack awaitAck(Duration timeout) throws InterruptedException, WireException {
    byte[] payload = acks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (payload == null) {
      throw new AssertionError("no ack on the ack topic within " + timeout);
    }
    return WireCodec.decodeAck(payload);
  }

  /** True if no ack arrives within {@code wait}. */
  public boolean noAckWithin(Duration wait) throws InterruptedException {
    return acks.poll(wait.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  @Override
  public void close() throws MqttException {
    try {
      if (client.isConnected()) {
        client.disconnect();
      }
    } finally {
      client.close();
    }
  }
}

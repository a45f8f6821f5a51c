// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.transport.MqttCredentials;

/**
 * The sync server's ingest as a hub sees it: a {@code svc:} client on {@code terrain/v1/hub/+/up}
 * that decodes every batch and, when told to, answers with an application ack. HiveMQ embedded runs
 * once per JVM, so it shares the hub's broker: the hub's uplink points at its own broker.
 */
final class FakeServer implements AutoCloseable {
  static final DeviceId ID = DeviceId.of("server-test");

  private final MqttAsyncClient client;
  private final List<Batch> batches = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private volatile boolean answering;

  private FakeServer(MqttAsyncClient client, boolean answering) {
    this.client = client;
    this.answering = answering;
  }

  static FakeServer connect(int port, String siteKey, boolean answering) throws MqttException {
    MqttAsyncClient client =
        new MqttAsyncClient("tcp://127.0.0.1:" + port, "fake-server", new MemoryPersistence());
    FakeServer server = new FakeServer(client, answering);
    client.setCallback(server.new Callback());
    MqttConnectionOptions options = new MqttConnectionOptions();
    String username = MqttCredentials.serviceUsername("fake-server");
    options.setUserName(username);
    options.setPassword(
        MqttCredentials.passwordFor(siteKey, username).getBytes(StandardCharsets.UTF_8));
    options.setCleanStart(true);
    client.connect(options).waitForCompletion(10_000);
    client.subscribe(Topics.ALL_HUB_UP, 1).waitForCompletion(10_000);
    return server;
  }

  void answer(boolean on) {
    answering = on;
  }

  /** Every batch received, resends included, in arrival order. */
  List<Batch> batches() {
    return List.copyOf(batches);
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect().waitForCompletion(5_000);
    }
    client.close(true);
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        Batch batch = WireCodec.decodeBatch(message.getPayload());
        batches.add(batch);
        if (!answering) {
          return;
        }
        Map<DeviceId, Long> upTo = new HashMap<>();
        for (Record record : batch.records()) {
          upTo.merge(record.device(), record.seq(), Math::max);
        }
        byte[] ack = WireCodec.encodeAck(new Ack(ID, batch.batchId(), upTo));
        client.publish(
            Topics.hubAck(batch.sender()), new MqttMessage(ack, 1, false, new MqttProperties()));
      } catch (Exception e) {
        failures.add(topic + ": " + e);
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.transport.MqttCredentials;

/**
 * A kiosk as the hub sees it on the wire: a plain Paho client with the device's credentials that
 * publishes batches on its up topic and collects the acks on its ack topic.
 */
final class TestKiosk implements AutoCloseable {
  static final String EVENT = "ev-market";

  private final DeviceId id;
  private final MqttAsyncClient client;
  private final BlockingQueue<byte[]> acks = new LinkedBlockingQueue<>();

  private TestKiosk(DeviceId id, MqttAsyncClient client) {
    this.id = id;
    this.client = client;
  }

  /** Connects as {@code dev:{id}} with a retained "offline" will, and subscribes to its acks. */
  static TestKiosk connect(String id, int port, String siteKey) throws MqttException {
    DeviceId device = DeviceId.of(id);
    MqttAsyncClient client =
        new MqttAsyncClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
    TestKiosk kiosk = new TestKiosk(device, client);
    client.setCallback(kiosk.new Callback());
    MqttConnectionOptions options = new MqttConnectionOptions();
    String username = MqttCredentials.deviceUsername(id);
    options.setUserName(username);
    options.setPassword(
        MqttCredentials.passwordFor(siteKey, username).getBytes(StandardCharsets.UTF_8));
    options.setCleanStart(true);
    options.setWill(
        Topics.deviceStatus(device),
        new MqttMessage("offline".getBytes(StandardCharsets.UTF_8), 1, true, new MqttProperties()));
    client.connect(options).waitForCompletion(10_000);
    IMqttToken sub = client.subscribe(Topics.deviceAck(device), 1);
    sub.waitForCompletion(10_000);
    return kiosk;
  }

  DeviceId id() {
    return id;
  }

  /** Records seq {@code from..to} of this kiosk, RESPONSE, with a body that varies by variant. */
  List<Record> responses(long from, long to, String variant) {
    return responses(id, from, to, variant);
  }

  static List<Record> recordsOf(DeviceId device, long from, long to) {
    return responses(device, from, to, "x");
  }

  private static List<Record> responses(DeviceId device, long from, long to, String variant) {
    List<Record> records = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      byte[] body =
          new ResponseBody("poll-1", List.of(new ResponseBody.Answer("q1", List.of(variant + seq))))
              .encode();
      records.add(
          new Record(device, seq, RecordKind.RESPONSE, EVENT, 1_700_000_000_000L + seq, 0, body));
    }
    return records;
  }

  void send(long batchId, List<Record> records) throws MqttException {
    publish(Topics.deviceUp(id), WireCodec.encodeBatch(new Batch(id, batchId, records)), false);
  }

  void publish(String topic, byte[] payload, boolean retained) throws MqttException {
    client
        .publish(topic, new MqttMessage(payload, 1, retained, new MqttProperties()))
        .waitForCompletion(10_000);
  }

  void announce(String status) throws MqttException {
    publish(Topics.deviceStatus(id), status.getBytes(StandardCharsets.UTF_8), true);
  }

  /** The next ack from the hub, or null if none arrives in time. */
  Ack nextAck(Duration timeout) throws InterruptedException, WireException {
    byte[] payload = acks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return payload == null ? null : WireCodec.decodeAck(payload);
  }

  /** Drops the TCP connection without DISCONNECT, like a kiosk losing power: the will fires. */
  void vanish() throws MqttException {
    client.disconnectForcibly(0, 1_000, false);
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
      acks.add(message.getPayload());
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

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import terrain.broker.BrokerSettings;
import terrain.broker.EmbeddedBroker;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.transport.MqttCredentials;

/**
 * Plays the field hub for kiosk tests: a real embedded broker on an ephemeral port and a plain Paho
 * client ({@code svc:test-hub}) that decodes the kiosks' batches, keeps their records and, when
 * acking, answers with a cumulative {@link Ack} like a hub that committed them.
 */
public final class TestHub implements AutoCloseable {
  public static final DeviceId HUB_ID = DeviceId.of("test-hub");

  private final EmbeddedBroker broker;
  private final MqttAsyncClient client;
  private final Map<DeviceId, TreeMap<Long, Record>> records = new ConcurrentHashMap<>();
  private final Map<DeviceId, String> statuses = new ConcurrentHashMap<>();
  private final AtomicInteger batches = new AtomicInteger();
  private volatile boolean acking;

  private TestHub(EmbeddedBroker broker, String siteKey, boolean acking) throws MqttException {
    this.broker = broker;
    this.acking = acking;
    String username = MqttCredentials.serviceUsername("test-hub");
    client =
        new MqttAsyncClient(
            "tcp://127.0.0.1:" + broker.port(),
            "test-hub-" + System.nanoTime(),
            new MemoryPersistence());
    client.setCallback(new Callback());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setUserName(username);
    options.setPassword(
        MqttCredentials.passwordFor(siteKey, username).getBytes(StandardCharsets.UTF_8));
    client.connect(options).waitForCompletion(10_000);
    client
        .subscribe(
            new MqttSubscription[] {
              new MqttSubscription(Topics.ALL_DEVICE_UP, 1),
              new MqttSubscription(Topics.ALL_DEVICE_STATUS, 1)
            })
        .waitForCompletion(10_000);
  }

  /** Starts a broker on an ephemeral port (or {@code port}) with the development key. */
  public static TestHub start(Path workDir, int port, boolean acking) throws MqttException {
    EmbeddedBroker broker =
        EmbeddedBroker.start(
            new BrokerSettings(workDir, "127.0.0.1", port, MqttCredentials.DEVELOPMENT_KEY));
    try {
      return new TestHub(broker, MqttCredentials.DEVELOPMENT_KEY, acking);
    } catch (MqttException | RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  public String uri() {
    return "tcp://127.0.0.1:" + broker.port();
  }

  public void acking(boolean on) {
    acking = on;
  }

  /** Records received from a device, by seq (duplicates collapse). */
  /** The RESPONSE records received from a device (its key record travels too, not listed). */
  public synchronized List<Record> records(DeviceId device) {
    TreeMap<Long, Record> kept = records.get(device);
    return kept == null
        ? List.of()
        : kept.values().stream()
            .filter(r -> r.kind() == terrain.core.record.RecordKind.RESPONSE)
            .toList();
  }

  public synchronized int recordCount() {
    return records.values().stream().mapToInt(Map::size).sum();
  }

  public int batchCount() {
    return batches.get();
  }

  public Optional<String> status(DeviceId device) {
    return Optional.ofNullable(statuses.get(device));
  }

  /** Waits up to {@code timeout} for {@code condition}; returns it. */
  public static boolean await(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private void onBatch(String topic, byte[] payload) throws Exception {
    Topics.Up up = Topics.parseUp(topic).orElseThrow();
    Batch batch = WireCodec.decodeBatch(payload);
    batches.incrementAndGet();
    long contiguous;
    synchronized (this) {
      for (Record record : batch.records()) {
        records.computeIfAbsent(record.device(), d -> new TreeMap<>()).put(record.seq(), record);
      }
      // Like a hub's frontier: everything up to here is held. A restarted test hub (its memory
      // lost) counts from the first record it got, which the kiosk sends from its acked mark.
      TreeMap<Long, Record> held = records.get(up.id());
      contiguous = held.firstKey() == 1 ? 0 : held.firstKey() - 1;
      for (long seq : held.keySet()) {
        if (seq != contiguous + 1) {
          break;
        }
        contiguous = seq;
      }
    }
    if (acking) {
      Map<DeviceId, Long> upTo = Map.of(up.id(), contiguous);
      client.publish(
          up.ackTopic(),
          new MqttMessage(
              WireCodec.encodeAck(new Ack(HUB_ID, batch.batchId(), upTo)),
              1,
              false,
              new MqttProperties()));
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) throws Exception {
      if (topic.endsWith("/up")) {
        onBatch(topic, message.getPayload());
      } else if (topic.endsWith("/status")) {
        String id = topic.substring(Topics.ROOT.length() + "dev/".length(), topic.lastIndexOf('/'));
        statuses.put(DeviceId.of(id), new String(message.getPayload(), StandardCharsets.UTF_8));
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

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(3_000);
      }
      client.close(true);
    } catch (MqttException e) {
      // The broker goes away next anyway.
    }
    broker.close();
  }
}

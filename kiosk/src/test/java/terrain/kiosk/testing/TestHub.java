// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.paho.mqttv5.common.MqttException;
import terrain.broker.BrokerSettings;
import terrain.broker.EmbeddedBroker;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.trust.MqttSecret;
import terrain.core.wire.Topics;
import terrain.testkit.BatchSink;
import terrain.testkit.MqttPeer;
import terrain.transport.Logins;
import terrain.transport.MqttCredentials;

/**
 * Plays the field hub for kiosk tests: a real embedded broker on an ephemeral port and the test
 * kit's {@link BatchSink} ({@code svc:test-hub}) that keeps the kiosks' records and, when acking,
 * answers like a hub that committed them.
 */
public final class TestHub implements AutoCloseable {
  public static final DeviceId HUB_ID = DeviceId.of("test-hub");

  private final EmbeddedBroker broker;
  private final BatchSink sink;

  private TestHub(EmbeddedBroker broker, BatchSink sink) {
    this.broker = broker;
    this.sink = sink;
  }

  /** Starts a broker on an ephemeral port (or {@code port}) with the development key. */
  public static TestHub start(Path workDir, int port, boolean acking) throws MqttException {
    String username = MqttCredentials.serviceUsername("test-hub");
    return start(
        new BrokerSettings(workDir, "127.0.0.1", port, MqttCredentials.DEVELOPMENT_KEY),
        MqttCredentials.passwordFor(MqttCredentials.DEVELOPMENT_KEY, username),
        acking);
  }

  /**
   * Starts an acking broker on an ephemeral port that accepts the devices of {@code devices} (e.g.
   * their enrolled secrets) and its own sink with a secret of its own: no development key.
   */
  public static TestHub enrolled(Path workDir, Logins devices) throws MqttException {
    String username = MqttCredentials.serviceUsername("test-hub");
    String secret = MqttSecret.generate(new java.security.SecureRandom());
    Logins logins = Logins.of(java.util.Map.of(username, MqttSecret.hash(secret))).or(devices);
    return start(new BrokerSettings(workDir, "127.0.0.1", 0, logins), secret, true);
  }

  private static TestHub start(BrokerSettings settings, String sinkPassword, boolean acking)
      throws MqttException {
    EmbeddedBroker broker = EmbeddedBroker.start(settings);
    try {
      String username = MqttCredentials.serviceUsername("test-hub");
      BatchSink sink =
          BatchSink.connect(
              MqttPeer.Options.of("tcp://127.0.0.1:" + broker.port(), "test-hub")
                  .as(username, sinkPassword),
              HUB_ID,
              acking,
              Topics.ALL_DEVICE_UP,
              Topics.ALL_DEVICE_STATUS);
      return new TestHub(broker, sink);
    } catch (MqttException | RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  public String uri() {
    return "tcp://127.0.0.1:" + broker.port();
  }

  public void acking(boolean on) {
    sink.acking(on);
  }

  /** The RESPONSE records received from a device (its key record travels too, not listed). */
  public List<Record> records(DeviceId device) {
    return records(device, RecordKind.RESPONSE);
  }

  /** The records of {@code kind} received from a device. */
  public List<Record> records(DeviceId device, RecordKind kind) {
    return sink.records(device).stream().filter(r -> r.kind() == kind).toList();
  }

  public int recordCount() {
    return sink.recordCount();
  }

  public int batchCount() {
    return sink.batches().size();
  }

  /** The device's last status message (its retained JSON status, or its plain "offline"). */
  public Optional<String> status(DeviceId device) {
    return sink.peer().last(Topics.deviceStatus(device)).map(MqttPeer.Message::text);
  }

  /** What went wrong decoding or answering the kiosks' batches; empty when all went well. */
  public List<String> failures() {
    return sink.failures();
  }

  @Override
  public void close() {
    try {
      sink.close();
    } catch (MqttException e) {
      // The broker goes away next anyway.
    }
    broker.close();
  }
}

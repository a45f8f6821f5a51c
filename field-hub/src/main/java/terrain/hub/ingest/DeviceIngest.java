// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.store.RecordStore;
import terrain.store.StoreException;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;
import terrain.transport.Receiver;

/**
 * The hub's side of the kiosks' uploads: an internal {@code svc:hub-ingest} client of the hub's own
 * broker that commits every batch from {@code terrain/v1/dev/+/up} to the hub store (stamped with
 * the hub's time) and acknowledges it to the device only after the commit (the {@link Receiver}
 * does both), then wakes the uplink. It also follows the devices' online status and their clocks.
 *
 * <p>A batch of a revoked device that arrives anyway (sent before its session was closed) is not
 * committed nor acknowledged: its records are kept aside ({@link SetAside}) and never forwarded.
 */
public final class DeviceIngest implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeviceIngest.class);

  /** The MQTT service name (username {@code svc:hub-ingest}). */
  public static final String SERVICE = "hub-ingest";

  private final Receiver receiver;
  private final DevicePresence presence;
  private final ClockSkew skew;
  private final Predicate<DeviceId> revoked;
  private final SetAside setAside;
  private final Clock clock;
  private final MqttLink link;
  private final CountDownLatch firstConnect = new CountDownLatch(1);

  /**
   * @param brokerUri the hub's own broker, e.g. {@code tcp://127.0.0.1:1883}
   * @param password the password of {@code svc:hub-ingest} on that broker
   * @param revoked whether a device is revoked now: its batches are set aside
   * @param afterCommit runs after each committed batch (wakes the uplink)
   * @throws StoreException the store's statements do not compile (decision 0062)
   */
  public DeviceIngest(
      RecordStore store,
      DeviceId hubId,
      String brokerUri,
      String password,
      Predicate<DeviceId> revoked,
      SetAside setAside,
      Runnable afterCommit,
      ScheduledExecutorService linkScheduler,
      Clock clock,
      RandomGenerator random)
      throws MqttException, StoreException {
    this.skew = new ClockSkew(clock);
    // The first kiosk batch after a start does not wait for Derby to compile (decision 0062).
    store.prepareAccept(skew);
    this.revoked = revoked;
    this.setAside = setAside;
    this.clock = clock;
    this.receiver = new Receiver(store, hubId, true, skew, clock, result -> afterCommit.run());
    this.presence = new DevicePresence(clock);
    String username = MqttCredentials.serviceUsername(SERVICE);
    MqttLink.Settings settings =
        MqttLink.Settings.of(brokerUri, SERVICE + "-" + hubId, username, password)
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    this.link =
        new MqttLink(
            settings,
            List.of(
                new MqttLink.Subscription(Topics.ALL_DEVICE_UP, 1, this::handleUp),
                new MqttLink.Subscription(Topics.ALL_DEVICE_STATUS, 1, presence::handle)),
            new MqttLink.Listener() {
              @Override
              public void connected() {
                firstConnect.countDown();
              }

              @Override
              public void disconnected(String reason) {
                log.warn("The hub's ingest lost its own broker ({}); reconnecting", reason);
              }
            },
            linkScheduler,
            random);
    receiver.attach(link);
  }

  private void handleUp(String topic, byte[] payload) {
    Topics.Up up = Topics.parseUp(topic).orElse(null);
    if (up == null || up.sender() != Topics.Sender.DEVICE || !revoked.test(up.id())) {
      receiver.handle(topic, payload);
      return;
    }
    Batch batch;
    try {
      batch = WireCodec.decodeBatch(payload);
    } catch (WireException e) {
      log.warn("Dropped an unreadable payload of revoked device {}: {}", up.id(), e.getMessage());
      return;
    }
    List<terrain.core.record.Record> own =
        batch.records().stream().filter(r -> r.device().equals(up.id())).toList();
    try {
      int added = setAside.keep(own, clock.millis(), "device revoked");
      log.warn(
          "Set aside {} record(s) of revoked device {} (batch {}): not forwarded, not counted",
          added,
          up.id(),
          batch.batchId());
    } catch (StoreException e) {
      log.error(
          "Could not set aside batch {} of revoked device {}: {}",
          batch.batchId(),
          up.id(),
          e.getMessage());
    }
  }

  /** Connects to the broker and waits until the subscriptions are in place. */
  public boolean start(Duration timeout) throws InterruptedException {
    link.start();
    return firstConnect.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isConnected() {
    return link.isConnected();
  }

  /** Publishes on the hub's own broker as the ingest service (e.g. a workshop's relay). */
  public java.util.concurrent.CompletableFuture<Void> publish(
      String topic, byte[] payload, boolean retained) {
    return link.publish(topic, payload, retained);
  }

  /** Records committed since start (duplicates not counted). */
  public long acceptedCount() {
    return receiver.acceptedCount();
  }

  /** Batches committed and acknowledged since start. */
  public long batchCount() {
    return receiver.batchCount();
  }

  /** Records in those batches, new or already stored, since start. */
  public long receivedCount() {
    return receiver.receivedCount();
  }

  /** What the commits took since start ({@link Receiver#commitTimes}, decision 0057). */
  public terrain.transport.CommitTimes commitTimes() {
    return receiver.commitTimes();
  }

  /** Records kept aside as conflicts since start. */
  public long conflictCount() {
    return receiver.conflictCount();
  }

  /** Payloads rejected since start (not a valid batch, or records of another device). */
  public long rejectedCount() {
    return receiver.rejectedCount();
  }

  public DevicePresence presence() {
    return presence;
  }

  public ClockSkew clockSkew() {
    return skew;
  }

  /** Records the hub quarantined since start (decision 0016). */
  public long quarantinedCount() {
    return receiver.quarantinedCount();
  }

  /** Records of revoked devices kept aside in this hub's store. */
  public long setAsideCount() {
    return setAside.count();
  }

  @Override
  public void close() {
    link.close();
  }
}

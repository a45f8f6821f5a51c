// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.wire.Topics;
import terrain.store.RecordStore;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;
import terrain.transport.Receiver;

/**
 * The hub's side of the kiosks' uploads: an internal {@code svc:hub-ingest} client of the hub's own
 * broker that commits every batch from {@code terrain/v1/dev/+/up} to the hub store (stamped with
 * the hub's time) and acknowledges it to the device only after the commit (the {@link Receiver}
 * does both), then wakes the uplink. It also follows the devices' online status.
 */
public final class DeviceIngest implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeviceIngest.class);

  /** The MQTT service name (username {@code svc:hub-ingest}). */
  public static final String SERVICE = "hub-ingest";

  private final Receiver receiver;
  private final DevicePresence presence;
  private final MqttLink link;
  private final CountDownLatch firstConnect = new CountDownLatch(1);

  /**
   * @param brokerUri the hub's own broker, e.g. {@code tcp://127.0.0.1:1883}
   * @param afterCommit runs after each committed batch (wakes the uplink)
   */
  public DeviceIngest(
      RecordStore store,
      DeviceId hubId,
      String brokerUri,
      String siteKey,
      Runnable afterCommit,
      ScheduledExecutorService linkScheduler,
      Clock clock,
      RandomGenerator random)
      throws MqttException {
    this.receiver =
        new Receiver(
            store, hubId, true, RecordStore.InsertHook.NONE, clock, result -> afterCommit.run());
    this.presence = new DevicePresence(clock);
    String username = MqttCredentials.serviceUsername(SERVICE);
    MqttLink.Settings settings =
        MqttLink.Settings.of(
                brokerUri,
                SERVICE + "-" + hubId,
                username,
                MqttCredentials.passwordFor(siteKey, username))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    this.link =
        new MqttLink(
            settings,
            List.of(
                new MqttLink.Subscription(Topics.ALL_DEVICE_UP, 1, receiver::handle),
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

  /** Connects to the broker and waits until the subscriptions are in place. */
  public boolean start(Duration timeout) throws InterruptedException {
    link.start();
    return firstConnect.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isConnected() {
    return link.isConnected();
  }

  /** Records committed since start (duplicates not counted). */
  public long acceptedCount() {
    return receiver.acceptedCount();
  }

  /** Payloads rejected since start (not a valid batch, or records of another device). */
  public long rejectedCount() {
    return receiver.rejectedCount();
  }

  public DevicePresence presence() {
    return presence;
  }

  @Override
  public void close() {
    link.close();
  }
}

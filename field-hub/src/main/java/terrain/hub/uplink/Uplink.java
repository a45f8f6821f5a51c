// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.uplink;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.eclipse.paho.mqttv5.common.MqttException;
import terrain.core.record.DeviceId;
import terrain.core.wire.Topics;
import terrain.store.RecordStore;
import terrain.transport.Forwarder;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;

/**
 * The hub's link to the sync server: sends everything in the hub store that the server has not
 * acknowledged, on {@code terrain/v1/hub/{hubId}/up}, and marks records forwarded only when the
 * server's application ack arrives on {@code .../ack}. Nothing is forgotten before that ack, so a
 * restart simply sends the rest again (the server is idempotent).
 */
public final class Uplink implements AutoCloseable {
  private final Forwarder forwarder;
  private final MqttLink link;

  /**
   * @param forwarderScheduler single-threaded: all the forwarder's work runs on it
   * @param linkScheduler where (re)connection attempts run (they block while connecting)
   * @param password the hub's password on the server's broker (as {@code hub:ID})
   * @param more further subscriptions on the server's broker (the event's configuration)
   */
  public Uplink(
      RecordStore store,
      DeviceId hubId,
      String serverUri,
      String password,
      List<MqttLink.Subscription> more,
      Forwarder.Settings settings,
      ScheduledExecutorService forwarderScheduler,
      ScheduledExecutorService linkScheduler,
      Clock clock,
      RandomGenerator random)
      throws MqttException {
    this(
        store,
        hubId,
        serverUri,
        password,
        null,
        more,
        settings,
        forwarderScheduler,
        linkScheduler,
        clock,
        random);
  }

  /**
   * As the constructor without a pin; over {@code ssl://}, {@code serverPin} (hex SHA-256 of the
   * server's certificate) is the only certificate trusted, or, when null, the system's CAs with a
   * host name check.
   */
  public Uplink(
      RecordStore store,
      DeviceId hubId,
      String serverUri,
      String password,
      String serverPin,
      List<MqttLink.Subscription> more,
      Forwarder.Settings settings,
      ScheduledExecutorService forwarderScheduler,
      ScheduledExecutorService linkScheduler,
      Clock clock,
      RandomGenerator random)
      throws MqttException {
    this.forwarder =
        new Forwarder(store, hubId, Topics.hubUp(hubId), settings, forwarderScheduler, clock);
    String username = MqttCredentials.hubUsername(hubId.value());
    List<MqttLink.Subscription> subscriptions = new ArrayList<>();
    subscriptions.add(new MqttLink.Subscription(Topics.hubAck(hubId), 1, forwarder::onAck));
    subscriptions.addAll(more);
    this.link =
        new MqttLink(
            MqttLink.Settings.of(serverUri, hubId.value(), username, password)
                .withServerPin(serverPin, "--uplink-pin"),
            subscriptions,
            forwarder,
            linkScheduler,
            random);
    forwarder.attach(link);
  }

  /** Starts connecting in the background; pending records go as soon as the server is there. */
  public void start() {
    link.start();
  }

  /** New records were committed: send them if the server is reachable. */
  public void wake() {
    forwarder.wake();
  }

  public boolean isUp() {
    return link.isConnected();
  }

  /** Why the uplink is down, empty when it is up. */
  public String problem() {
    return isUp() ? "" : link.lastProblem();
  }

  /** When the server last acknowledged records (epoch millis), empty if not since start. */
  public OptionalLong lastAck() {
    long time = forwarder.lastAckTime();
    return time == 0 ? OptionalLong.empty() : OptionalLong.of(time);
  }

  public String serverUri() {
    return link.serverUri();
  }

  public long recordsSent() {
    return forwarder.recordsSent();
  }

  public long bytesSent() {
    return forwarder.bytesSent();
  }

  @Override
  public void close() {
    link.close();
  }
}

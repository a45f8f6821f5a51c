// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.sync;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.wire.Topics;
import terrain.store.RecordStore;
import terrain.store.StoreException;
import terrain.transport.Forwarder;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;

/**
 * Sends a kiosk's outbox to its field hub: a {@link Forwarder} over an {@link MqttLink} connected
 * as {@code dev:{deviceId}} (client id = device id), subscribed to the device's ack topic. While
 * the hub is away the link keeps retrying with backoff; the outbox stays in the store, so nothing
 * waits in memory.
 *
 * <p>On each connect it publishes its retained status on {@code terrain/v1/dev/{id}/status}, a JSON
 * object with {@code "state":"online"} and what the kiosk knows of itself ({@link StatusReport}:
 * its clock, bundle, printer, disk, battery), again every {@link #STATUS_EVERY} while connected and
 * whenever {@link #reportStatus()} is called (the printer changed). It publishes a retained plain
 * {@code offline} when closed cleanly, and registers a retained plain {@code offline} last will
 * that the hub's broker publishes after a crash or a power cut.
 */
public final class SyncAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncAgent.class);
  private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

  public static final String ONLINE = "online";
  public static final String OFFLINE = "offline";

  /** How often a connected kiosk says its status again, so the hub sees its clock is live. */
  public static final Duration STATUS_EVERY = Duration.ofSeconds(60);

  /**
   * The MQTT password a device logs in with, given its username: its own secret once enrolled, or
   * (with {@code --dev}) one derived from a site key.
   */
  public interface Password {
    /** The password for {@code username}. */
    String forUsername(String username);

    /** The device's own secret ({@code DATA/trust/mqtt.secret}), whatever the username. */
    static Password secret(String secret) {
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException("The MQTT secret must not be empty");
      }
      return new Password() {
        @Override
        public String forUsername(String username) {
          return secret;
        }

        @Override
        public String toString() {
          return "own secret";
        }
      };
    }

    /** Derived from a site key (development: {@code --dev}). */
    static Password siteKey(String siteKey) {
      if (siteKey == null || siteKey.isEmpty()) {
        throw new IllegalArgumentException("Site key must not be empty");
      }
      return new Password() {
        @Override
        public String forUsername(String username) {
          return MqttCredentials.passwordFor(siteKey, username);
        }

        @Override
        public String toString() {
          return "site key";
        }
      };
    }
  }

  /**
   * Where the hub is and how to talk to it.
   *
   * @param hubUri the hub's broker, e.g. {@code tcp://192.168.4.1:1883}
   * @param password the device's MQTT password
   */
  public record Settings(
      String hubUri,
      Password password,
      Forwarder.Settings forwarding,
      Duration minBackoff,
      Duration maxBackoff) {

    public Settings {
      checkHubUri(hubUri);
      Objects.requireNonNull(password, "Settings password must not be null");
      Objects.requireNonNull(forwarding, "Settings forwarding must not be null");
      Objects.requireNonNull(minBackoff, "Settings minBackoff must not be null");
      Objects.requireNonNull(maxBackoff, "Settings maxBackoff must not be null");
      if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
        throw new IllegalArgumentException(
            "Backoff ["
                + minBackoff
                + ", "
                + maxBackoff
                + "] must be positive with the maximum at least the minimum");
      }
    }

    /** Development ({@code --dev}): the password derived from a site key; see {@link #of}. */
    public static Settings of(String hubUri, String siteKey) {
      return of(hubUri, Password.siteKey(siteKey));
    }

    /** Device batching and a 0.2 to 5 second reconnect backoff. */
    public static Settings of(String hubUri, Password password) {
      return new Settings(
          hubUri,
          password,
          Forwarder.Settings.device(),
          Duration.ofMillis(200),
          Duration.ofSeconds(5));
    }

    /** An enrolled device: its own secret. */
    public static Settings enrolled(String hubUri, String secret) {
      return of(hubUri, Password.secret(secret));
    }

    @Override
    public String toString() {
      return "Settings[hubUri="
          + hubUri
          + ", password="
          + password
          + ", forwarding="
          + forwarding
          + "]";
    }
  }

  /**
   * What a staff panel shows.
   *
   * @param hubReachable the link to the hub is up
   * @param pending records committed here and not yet acknowledged by the hub
   * @param lastAck when the hub last acknowledged something, since this agent started
   * @param problem why the link is down, empty when it is up
   */
  public record Status(
      boolean hubReachable, long pending, Optional<Instant> lastAck, String problem) {}

  private final RecordStore store;
  private final DeviceId deviceId;
  private final Forwarder forwarder;
  private final String statusTopic;
  private final MqttLink link;
  private final StatusReport report;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Duration statusEvery;
  private ScheduledFuture<?> statusTimer;
  private boolean started;
  private volatile boolean closed;

  /**
   * Wires the forwarder and the link; call {@link #start()} to connect.
   *
   * @param scheduler a single-threaded scheduler for the forwarder and the reconnects; the caller
   *     shuts it down after {@link #close()}
   * @param random jitter of the reconnect backoff
   */
  public SyncAgent(
      RecordStore store,
      DeviceId deviceId,
      Settings settings,
      ScheduledExecutorService scheduler,
      Clock clock,
      RandomGenerator random) {
    this(store, deviceId, settings, scheduler, clock, random, StatusReport.minimal());
  }

  /**
   * As {@link #SyncAgent(RecordStore, DeviceId, Settings, ScheduledExecutorService, Clock,
   * RandomGenerator)}, with what the kiosk says of itself in its status.
   */
  public SyncAgent(
      RecordStore store,
      DeviceId deviceId,
      Settings settings,
      ScheduledExecutorService scheduler,
      Clock clock,
      RandomGenerator random,
      StatusReport report) {
    this(store, deviceId, settings, scheduler, clock, random, report, STATUS_EVERY);
  }

  SyncAgent(
      RecordStore store,
      DeviceId deviceId,
      Settings settings,
      ScheduledExecutorService scheduler,
      Clock clock,
      RandomGenerator random,
      StatusReport report,
      Duration statusEvery) {
    this(store, deviceId, settings, scheduler, clock, random, report, statusEvery, List.of());
  }

  /**
   * As {@link #SyncAgent(RecordStore, DeviceId, Settings, ScheduledExecutorService, Clock,
   * RandomGenerator, StatusReport)}, also following {@code follows} on the hub (subscribed again on
   * every connect), e.g. the retained relay of a workshop room.
   */
  public SyncAgent(
      RecordStore store,
      DeviceId deviceId,
      Settings settings,
      ScheduledExecutorService scheduler,
      Clock clock,
      RandomGenerator random,
      StatusReport report,
      List<MqttLink.Subscription> follows) {
    this(store, deviceId, settings, scheduler, clock, random, report, STATUS_EVERY, follows);
  }

  SyncAgent(
      RecordStore store,
      DeviceId deviceId,
      Settings settings,
      ScheduledExecutorService scheduler,
      Clock clock,
      RandomGenerator random,
      StatusReport report,
      Duration statusEvery,
      List<MqttLink.Subscription> follows) {
    this.store = store;
    this.report = Objects.requireNonNull(report, "report must not be null");
    this.clock = clock;
    this.scheduler = scheduler;
    if (statusEvery.isNegative() || statusEvery.isZero()) {
      throw new IllegalArgumentException("statusEvery [" + statusEvery + "] must be positive");
    }
    this.statusEvery = statusEvery;
    this.deviceId = deviceId;
    this.statusTopic = Topics.deviceStatus(deviceId);
    this.forwarder =
        new Forwarder(
            store, deviceId, Topics.deviceUp(deviceId), settings.forwarding(), scheduler, clock);
    String username = MqttCredentials.deviceUsername(deviceId.value());
    MqttLink.Settings linkSettings =
        MqttLink.Settings.of(
                settings.hubUri(),
                deviceId.value(),
                username,
                settings.password().forUsername(username))
            .withBackoff(settings.minBackoff(), settings.maxBackoff())
            .withWill(statusTopic, bytes(OFFLINE), true);
    try {
      this.link =
          new MqttLink(
              linkSettings,
              subscriptions(
                  new MqttLink.Subscription(Topics.deviceAck(deviceId), 1, forwarder::onAck),
                  follows),
              new Presence(),
              scheduler,
              random);
    } catch (MqttException e) {
      throw new IllegalStateException(
          "Cannot create the MQTT client of " + deviceId + ": " + e.getMessage(), e);
    }
    forwarder.attach(link);
  }

  private static List<MqttLink.Subscription> subscriptions(
      MqttLink.Subscription ack, List<MqttLink.Subscription> follows) {
    List<MqttLink.Subscription> all = new java.util.ArrayList<>();
    all.add(ack);
    all.addAll(follows);
    return List.copyOf(all);
  }

  /** Starts connecting to the hub in the background; returns at once. */
  public synchronized void start() {
    if (closed || started) {
      return;
    }
    started = true;
    link.start();
  }

  /** New records were committed: send them now if the hub is reachable. */
  public void wake() {
    forwarder.wake();
  }

  public DeviceId deviceId() {
    return deviceId;
  }

  public boolean hubReachable() {
    return link.isConnected();
  }

  /** Why the link is down (e.g. refused credentials, connection refused), empty when up. */
  public String lastProblem() {
    return link.isConnected() ? "" : link.lastProblem();
  }

  /** Epoch millis of the hub's last ack since start, 0 if none. */
  public long lastAckTime() {
    return forwarder.lastAckTime();
  }

  public Status status() throws StoreException {
    long lastAck = forwarder.lastAckTime();
    return new Status(
        hubReachable(),
        store.pendingCount(),
        lastAck == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastAck)),
        lastProblem());
  }

  /**
   * Says the kiosk's status now (retained) if connected, e.g. because the printer changed; it is
   * said anyway on every connect and every {@link #STATUS_EVERY}.
   */
  public void reportStatus() {
    if (closed || !link.isConnected()) {
      return;
    }
    byte[] status;
    try {
      status = report.online(clock.millis());
    } catch (RuntimeException e) {
      log.warn("Could not build the status of {}: {}", deviceId, e.toString(), e);
      return;
    }
    link.publish(statusTopic, status, true)
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                log.debug("Could not say online to {}: {}", link.serverUri(), error.toString());
              }
            });
  }

  private synchronized void startStatusTimer() {
    stopStatusTimer();
    if (closed) {
      return;
    }
    long every = statusEvery.toMillis();
    try {
      statusTimer =
          scheduler.scheduleWithFixedDelay(this::reportStatus, every, every, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("No status timer for {}: the scheduler is shut down", deviceId);
    }
  }

  private synchronized void stopStatusTimer() {
    if (statusTimer != null) {
      statusTimer.cancel(false);
      statusTimer = null;
    }
  }

  /** Says {@code offline} (retained) if connected, then disconnects. Idempotent. */
  @Override
  public void close() {
    MqttLink current = link;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stopStatusTimer();
    }
    if (current.isConnected()) {
      try {
        current.publish(statusTopic, bytes(OFFLINE), true).get(2, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.debug("Could not say offline to {}", current.serverUri(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    current.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Checks a hub address early, with a message that says what to write. */
  static void checkHubUri(String hubUri) {
    String problem = null;
    if (hubUri == null || hubUri.isBlank()) {
      problem = "is empty";
    } else {
      try {
        URI uri = new URI(hubUri);
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme())) {
          problem = "must start with tcp://, ssl://, ws:// or wss://";
        } else if (uri.getHost() == null) {
          problem = "has no host";
        } else if (uri.getPort() < 1) {
          problem = "has no port";
        }
      } catch (URISyntaxException e) {
        problem = "is not an address: " + e.getReason();
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException(
          "Hub address [" + hubUri + "] " + problem + "; write it like tcp://192.168.4.1:1883");
    }
  }

  /** Link events: the forwarder resends on connect, and the kiosk says its status. */
  private final class Presence implements MqttLink.Listener {
    @Override
    public void connected() {
      if (closed) {
        return;
      }
      forwarder.connected();
      reportStatus();
      startStatusTimer();
    }

    @Override
    public void disconnected(String reason) {
      stopStatusTimer();
      if (!closed) {
        forwarder.disconnected(reason);
      }
    }
  }
}

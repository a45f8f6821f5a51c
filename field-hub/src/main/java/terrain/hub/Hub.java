// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.broker.BrokerSettings;
import terrain.broker.BrokerStartException;
import terrain.broker.EmbeddedBroker;
import terrain.core.lifecycle.Closer;
import terrain.core.record.DeviceId;
import terrain.http.HttpServer;
import terrain.http.HttpStartException;
import terrain.hub.ingest.DeviceIngest;
import terrain.hub.status.HubStatus;
import terrain.hub.status.HubStatusService;
import terrain.hub.status.StatusPage;
import terrain.hub.status.StatusRoutes;
import terrain.hub.uplink.Uplink;
import terrain.store.Database;
import terrain.store.RecordStore;
import terrain.store.StoreException;
import terrain.transport.MqttCredentials;

/**
 * A running field hub, wired with {@code new} in the order that keeps every record safe:
 *
 * <ol>
 *   <li>the hub store (Derby in {@code DATA/db}), the source of truth;
 *   <li>the uplink to the sync server, which sends whatever is still pending from before;
 *   <li>the embedded broker the kiosks connect to ({@code DATA/broker});
 *   <li>the ingest, which commits the kiosks' batches and only then acknowledges them;
 *   <li>the HTTP status page and API, whose "listening on" log line means "ready".
 * </ol>
 *
 * A kill -9 at any moment loses nothing acknowledged to a kiosk (acks follow commits) and forgets
 * nothing the server has not acknowledged (records leave the outbox only on the server's ack).
 */
public final class Hub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  /** How long the ingest may take to subscribe on its own broker before the start fails. */
  private static final Duration INGEST_READY = Duration.ofSeconds(30);

  private final DeviceId id;
  private final EmbeddedBroker broker;
  private final HttpServer http;
  private final HubStatusService status;
  private final Deque<AutoCloseable> resources;
  private boolean closed;

  private Hub(
      DeviceId id,
      EmbeddedBroker broker,
      HttpServer http,
      HubStatusService status,
      Deque<AutoCloseable> resources) {
    this.id = id;
    this.broker = broker;
    this.http = http;
    this.status = status;
    this.resources = resources;
  }

  /**
   * Starts a hub and returns once kiosks can connect and the status page answers.
   *
   * @throws HubStartException with an operator message; everything opened so far is closed again
   */
  public static Hub start(HubConfig config, Clock clock, RandomGenerator random) {
    return start(config, null, clock, random);
  }

  /**
   * As {@link #start(HubConfig, Clock, RandomGenerator)}, the uplink trusting only the server
   * certificate whose SHA-256 is {@code uplinkPin} (null: the system's CAs).
   */
  public static Hub start(HubConfig config, String uplinkPin, Clock clock, RandomGenerator random) {
    long started = System.nanoTime();
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      return open(config, uplinkPin, clock, random, resources, started);
    } catch (HubStartException e) {
      Closer.closeAll(resources);
      throw e;
    } catch (StoreException e) {
      Closer.closeAll(resources);
      throw new HubStartException(e.getMessage(), 1, e);
    } catch (BrokerStartException e) {
      Closer.closeAll(resources);
      throw new HubStartException(e.getMessage(), e.isPortInUse() ? 2 : 1, e);
    } catch (HttpStartException e) {
      Closer.closeAll(resources);
      throw new HubStartException(e.getMessage(), e.isPortInUse() ? 2 : 1, e);
    } catch (MqttException e) {
      Closer.closeAll(resources);
      throw new HubStartException("Cannot create an MQTT client: " + e, 1, e);
    } catch (UncheckedIOException e) {
      Closer.closeAll(resources);
      throw new HubStartException(e.getMessage(), 1, e);
    } catch (InterruptedException e) {
      Closer.closeAll(resources);
      Thread.currentThread().interrupt();
      throw new HubStartException("Interrupted while starting the hub", 1, e);
    } catch (RuntimeException e) {
      Closer.closeAll(resources);
      throw e;
    }
  }

  private static Hub open(
      HubConfig config,
      String uplinkPin,
      Clock clock,
      RandomGenerator random,
      Deque<AutoCloseable> resources,
      long started)
      throws StoreException, MqttException, InterruptedException {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new HubStartException(
          "Cannot create the data folder "
              + config.dataDir()
              + " ("
              + e
              + "). Check --data and its permissions.",
          1,
          e);
    }
    if (config.siteKey().equals(MqttCredentials.DEVELOPMENT_KEY)
        || config.uplinkSiteKey().equals(MqttCredentials.DEVELOPMENT_KEY)) {
      log.warn("development site key in use: provision real keys before an event");
    }

    // 1. The store: what it holds is what the hub promised to keep.
    Database database = Database.open(Database.derbyUrl(config.databaseDir()));
    resources.push(database);
    RecordStore store = new RecordStore(database);
    resources.push(store);
    DeviceId id = HubIdentity.resolve(store, config.hubId(), random);
    log.info(
        "Hub {} store open in {}: {} records wait for the server",
        id,
        config.databaseDir(),
        store.pendingCount());

    // 2. The uplink, which sends what is pending as soon as the server is reachable.
    ScheduledExecutorService forwarderThread = executor("hub-uplink", resources);
    ScheduledExecutorService uplinkConnect = executor("hub-uplink-connect", resources);
    Uplink uplink =
        new Uplink(
            store,
            id,
            config.uplink(),
            config.uplinkSiteKey(),
            uplinkPin,
            config.uplinkSettings(),
            forwarderThread,
            uplinkConnect,
            clock,
            random);
    resources.push(uplink);
    uplink.start();
    log.info("Uplink to {} as {}", config.uplink(), MqttCredentials.hubUsername(id.value()));

    // 3. The broker the kiosks connect to.
    EmbeddedBroker broker =
        EmbeddedBroker.start(
            new BrokerSettings(
                config.brokerDir(), config.bindAddress(), config.mqttPort(), config.siteKey()));
    resources.push(broker);

    // 4. The ingest: commit, then ack, then wake the uplink.
    ScheduledExecutorService ingestConnect = executor("hub-ingest-connect", resources);
    DeviceIngest ingest =
        new DeviceIngest(
            store,
            id,
            "tcp://" + HttpServer.localHost(config.bindAddress()) + ":" + broker.port(),
            config.siteKey(),
            uplink::wake,
            ingestConnect,
            clock,
            random);
    resources.push(ingest);
    if (!ingest.start(INGEST_READY)) {
      throw new HubStartException(
          "The hub's ingest could not connect to its own broker on port "
              + broker.port()
              + " within "
              + INGEST_READY.toSeconds()
              + " s; see the lines above. Check that --bind is an address of this machine.",
          1,
          null);
    }

    // 5. The status page and API.
    HubStatusService status = new HubStatusService(id, store, uplink, ingest);
    // A hub is a Raspberry Pi: a handful of facilitators look at it, not the world.
    HttpServer http =
        HttpServer.builder()
            .name("hub-http")
            .bind(config.bindAddress(), config.httpPort())
            .threads(2, 16)
            .connectorThreads(1, 1)
            .handler(StatusRoutes.create(status, new StatusPage(clock.getZone())))
            .start();
    resources.push(http);
    log.info(
        "Hub {} ready in {} ms: kiosks connect to MQTT port {}; status page listening on {}/",
        id,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        broker.port(),
        http.url());
    return new Hub(id, broker, http, status, resources);
  }

  public DeviceId id() {
    return id;
  }

  /** The port kiosks connect to. */
  public int mqttPort() {
    return broker.port();
  }

  public int httpPort() {
    return http.port();
  }

  /** The status page's base URL, e.g. {@code http://127.0.0.1:8470}. */
  public String httpUrl() {
    return http.url();
  }

  public HubStatus status() throws StoreException {
    return status.status();
  }

  /** Stops HTTP, ingest, broker, uplink, then closes the store. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Closer.closeAll(resources);
    log.info("Hub {} stopped", id);
  }

  private static ScheduledExecutorService executor(String name, Deque<AutoCloseable> resources) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, name);
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    resources.push(
        () -> {
          executor.shutdownNow();
          if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            log.warn("Thread {} did not stop within 5 s", name);
          }
        });
    return executor;
  }
}

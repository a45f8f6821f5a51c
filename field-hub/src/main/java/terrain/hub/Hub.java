// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
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
import terrain.core.trust.MqttSecret;
import terrain.hardware.gpio.GpioPanel;
import terrain.hardware.printer.TicketPrinter;
import terrain.http.HttpServer;
import terrain.http.HttpStartException;
import terrain.http.Metrics;
import terrain.hub.ingest.DeviceIngest;
import terrain.hub.ingest.SetAside;
import terrain.hub.panel.Disk;
import terrain.hub.panel.HubCondition;
import terrain.hub.panel.HubPanel;
import terrain.hub.panel.PanelSettings;
import terrain.hub.panel.SlipDesk;
import terrain.hub.panel.SlipRoutes;
import terrain.hub.results.LiveResults;
import terrain.hub.results.MissingRelay;
import terrain.hub.results.ResultsPage;
import terrain.hub.results.ResultsRoutes;
import terrain.hub.status.HealthProbe;
import terrain.hub.status.HubStatus;
import terrain.hub.status.HubStatusService;
import terrain.hub.status.StatusPage;
import terrain.hub.status.StatusRoutes;
import terrain.hub.trust.ConfigFollower;
import terrain.hub.trust.DeviceRoster;
import terrain.hub.trust.HubTrust;
import terrain.hub.uplink.Uplink;
import terrain.hub.workshop.LiveWorkshop;
import terrain.hub.workshop.PhoneVote;
import terrain.hub.workshop.VoteRoutes;
import terrain.hub.workshop.WorkshopRelay;
import terrain.hub.workshop.WorkshopRoutes;
import terrain.store.Database;
import terrain.store.IndexStatistics;
import terrain.store.RecordStore;
import terrain.store.Retention;
import terrain.store.StoreException;
import terrain.transport.Logins;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;

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
 *
 * <p>An enrolled hub ({@link HubConfig#trust()}) admits on its broker only the kiosks and tablets
 * of its signed device list, each with its own secret, and its own services with a secret made at
 * each start; it logs in to the server as {@code hub:ID} with its own secret and follows the
 * event's signed configuration there. A development hub ({@code --dev}) derives every password from
 * the site key, as before enrolment existed.
 */
public final class Hub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  /**
   * The bytes of not yet acknowledged records the store holds in memory for the uplink (decision
   * 0071): an eighth of the heap, some 75,000 responses with the shipped 256 MB, many times a
   * market day's backlog while the uplink was down. Past it, the uplink reads the rest from the
   * database, as after a restart. {@code -Dterrain.hub.outboxMemory=BYTES} sets it; 0 holds none.
   */
  public static final long OUTBOX_MEMORY =
      Long.getLong("terrain.hub.outboxMemory", Runtime.getRuntime().maxMemory() / 8);

  /** How long the ingest may take to subscribe on its own broker before the start fails. */
  private static final Duration INGEST_READY = Duration.ofSeconds(30);

  /** How often revocations "after T" are checked against the clock. */
  private static final Duration REVOCATION_CHECK = Duration.ofSeconds(30);

  private final DeviceId id;
  private final EmbeddedBroker broker;
  private final HttpServer http;
  private final HubStatusService status;
  private final String servicePassword;
  private final Deque<AutoCloseable> resources;
  private boolean closed;

  private Hub(
      DeviceId id,
      EmbeddedBroker broker,
      HttpServer http,
      HubStatusService status,
      String servicePassword,
      Deque<AutoCloseable> resources) {
    this.id = id;
    this.broker = broker;
    this.http = http;
    this.status = status;
    this.servicePassword = servicePassword;
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
    return start(config, uplinkPin, PanelSettings.none(), () -> {}, clock, random);
  }

  /**
   * As {@link #start(HubConfig, String, Clock, RandomGenerator)} with a slip printer, a status
   * light and a button; {@code shutdown} is what a 3-s hold of the button does.
   */
  public static Hub start(
      HubConfig config,
      String uplinkPin,
      PanelSettings panel,
      Runnable shutdown,
      Clock clock,
      RandomGenerator random) {
    long started = System.nanoTime();
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      return open(config, uplinkPin, panel, shutdown, clock, random, resources, started);
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
      PanelSettings panel,
      Runnable shutdown,
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
    HubTrust trust = config.trust();
    if (trust == null
        && (config.siteKey().equals(MqttCredentials.DEVELOPMENT_KEY)
            || config.uplinkSiteKey().equals(MqttCredentials.DEVELOPMENT_KEY))) {
      log.warn("development site key in use: provision real keys before an event");
    }

    // 1. The store: what it holds is what the hub promised to keep. Derby's index statistics
    // daemon rescanned the filling tables during the market day; the hub refreshes them itself when
    // its intake pauses (decision 0055).
    IndexStatistics.disableDaemon();
    Database database = Database.open(Database.derbyUrl(config.databaseDir()), SetAside.MIGRATIONS);
    resources.push(database);
    RecordStore store = new RecordStore(database, OUTBOX_MEMORY);
    resources.push(store);
    SetAside setAside = new SetAside(database);
    DeviceId id =
        HubIdentity.resolve(store, trust == null ? config.hubId() : trust.id().value(), random);

    // Who logs in where: the site key in development, each one's own secret once enrolled.
    String ingestUser = MqttCredentials.serviceUsername(DeviceIngest.SERVICE);
    String servicePassword;
    String uplinkPassword;
    Logins logins;
    DeviceRoster roster = null;
    ConfigFollower follower = null;
    if (trust == null) {
      servicePassword = MqttCredentials.passwordFor(config.siteKey(), ingestUser);
      uplinkPassword =
          MqttCredentials.passwordFor(
              config.uplinkSiteKey(), MqttCredentials.hubUsername(id.value()));
      logins = Logins.siteKey(config.siteKey());
    } else {
      SecureRandom secure = random instanceof SecureRandom r ? r : new SecureRandom();
      servicePassword = MqttSecret.generate(secure);
      uplinkPassword = trust.mqttSecret();
      String serviceHash = MqttSecret.hash(servicePassword);
      Logins services =
          (who, password) ->
              who.role() == MqttCredentials.Role.SERVICE
                  && MqttSecret.matches(serviceHash, password);
      roster =
          new DeviceRoster(
              () -> trust.current().bundle(), id, MqttSecret.hash(trust.mqttSecret()), clock);
      logins = services.or(roster.logins());
      follower = new ConfigFollower(trust, clock);
      log.info(
          "Hub {} enrolled for event {}: device list sequence {} ({} devices)",
          id,
          trust.enrolment().eventId(),
          trust.current().bundle().sequence(),
          trust.current().bundle().devices().size());
    }
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
            uplinkPassword,
            uplinkPin,
            follower == null
                ? List.of()
                : List.of(new MqttLink.Subscription(follower.topic(), 1, follower::handle)),
            config.uplinkSettings(),
            forwarderThread,
            uplinkConnect,
            clock,
            random);
    resources.push(uplink);
    uplink.start();
    log.info("Uplink to {} as {}", config.uplink(), MqttCredentials.hubUsername(id.value()));

    // 3. The broker the kiosks connect to.
    // Held: kiosks are asked to come back until the ingest below has subscribed.
    EmbeddedBroker broker =
        EmbeddedBroker.startHeld(
            new BrokerSettings(
                config.brokerDir(), config.bindAddress(), config.mqttPort(), logins));
    resources.push(broker);
    if (follower != null) {
      ScheduledExecutorService trustThread = executor("hub-trust", resources);
      follower.disconnectWith(client -> trustThread.execute(() -> broker.disconnect(client)));
      ConfigFollower checked = follower;
      trustThread.scheduleWithFixedDelay(
          checked::recheck, 0, REVOCATION_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    // 4. The ingest: commit, then ack, then wake the uplink.
    ScheduledExecutorService ingestConnect = executor("hub-ingest-connect", resources);
    DeviceIngest ingest =
        new DeviceIngest(
            store,
            id,
            "tcp://" + HttpServer.localHost(config.bindAddress()) + ":" + broker.port(),
            servicePassword,
            roster == null ? device -> false : roster::revoked,
            setAside,
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
    broker.admitDevices();

    IndexStatistics statistics = new IndexStatistics(database, ingest::acceptedCount, clock);
    executor("hub-statistics", resources)
        .scheduleWithFixedDelay(statistics::refreshIfDueLogged, 1, 1, TimeUnit.MINUTES);

    // Workshop rooms: folded for the projector, relayed to the room's tablets.
    LiveWorkshop workshop = new LiveWorkshop(store, config.events());
    WorkshopRelay relay = new WorkshopRelay(workshop, ingest, id);
    relay.schedule(executor("hub-workshop", resources));
    // Phones on the hub's Wi-Fi vote through the hub, which records their ballots (decision 0034).
    PhoneVote phoneVote =
        new PhoneVote(
            workshop,
            store,
            id,
            clock,
            () -> {
              relay.wake();
              uplink.wake();
            });
    SecureRandom voteRandom = random instanceof SecureRandom r ? r : new SecureRandom();

    // The live results, for the page and for the tablets' "who is missing" (decision 0040).
    LiveResults liveResults = new LiveResults(store, config.events());
    new MissingRelay(liveResults, ingest::publish).schedule(executor("hub-missing", resources));

    // Acknowledged records older than --keep-days leave the store, at start and daily.
    new Retention(store, config.keepDays(), clock).schedule(executor("hub-retention", resources));

    // 5. The status page and API.
    HubStatusService status =
        new HubStatusService(
            id,
            store,
            uplink,
            ingest,
            trust,
            config.dataDir(),
            clock,
            HealthProbe.system(config.dataDir(), clock));
    TicketPrinter slipPrinter = panel.printer() == null ? null : panel.printer().open();
    SlipDesk slips =
        new SlipDesk(
            id.value(),
            trust == null ? null : String.valueOf(trust.enrolment().eventId()),
            status,
            store,
            config.dataDir(),
            slipPrinter,
            clock);
    if (slipPrinter != null) {
      log.info("Slips print on {}", panel.printer().describe());
    }
    // /metrics answers this machine only (a scraper on the hub, or an SSH tunnel), unless
    // --metrics-public.
    Metrics metrics = HubObservability.metrics(config.metricsPublic(), store, ingest, uplink);
    // A hub is a Raspberry Pi: a handful of facilitators look at it, not the world.
    HttpServer http =
        HttpServer.builder()
            .name("hub-http")
            .bind(config.bindAddress(), config.httpPort())
            .threads(2, 16)
            .connectorThreads(1, 1)
            .metrics(metrics)
            .handler(
                StatusRoutes.create(
                    status,
                    new StatusPage(clock.getZone()),
                    HubObservability.health(database, broker, ingest, uplink),
                    metrics,
                    routes -> {
                      new ResultsRoutes(liveResults, new ResultsPage()).register(routes);
                      SlipRoutes.register(routes, slips);
                      new WorkshopRoutes(workshop, clock).register(routes);
                      new VoteRoutes(phoneVote, clock, voteRandom).register(routes);
                    }))
            .start();
    resources.push(http);
    openPanel(panel, shutdown, slips, config, store, uplink, ingest, clock, resources);
    log.info(
        "Hub {} ready in {} ms: kiosks connect to MQTT port {}; status page listening on {}/",
        id,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        broker.port(),
        http.url());
    return new Hub(id, broker, http, status, servicePassword, resources);
  }

  /** The light and the button, when pins are set and this machine has GPIO. */
  private static void openPanel(
      PanelSettings panel,
      Runnable shutdown,
      SlipDesk slips,
      HubConfig config,
      RecordStore store,
      Uplink uplink,
      DeviceIngest ingest,
      Clock clock,
      Deque<AutoCloseable> resources) {
    if (!panel.pins().any()) {
      return;
    }
    ScheduledExecutorService panelThread = executor("hub-panel", resources);
    Optional<GpioPanel> gpio;
    try {
      gpio = GpioPanel.onThisMachine(panel.pins(), panelThread, clock);
    } catch (RuntimeException e) {
      log.warn(
          "The GPIO lines {} cannot be used ({}): the hub runs without its light and button."
              + " Check that the user terrain is in the gpio group and the lines are free.",
          panel.pins(),
          e.toString());
      return;
    }
    if (gpio.isEmpty()) {
      log.info(
          "No GPIO on this machine (no /dev/gpiochip*): the hub runs without its light and"
              + " button");
      return;
    }
    GpioPanel lines = gpio.get();
    resources.push(lines);
    ScheduledExecutorService worker = executor("hub-panel-work", resources);
    HubPanel hubPanel =
        new HubPanel(
            lines.light().orElse(null),
            lines.button().orElse(null),
            () -> condition(config, store, uplink, ingest),
            slips::printStatus,
            shutdown,
            worker);
    resources.push(hubPanel);
    panelThread.scheduleWithFixedDelay(hubPanel::refresh, 0, 1, TimeUnit.SECONDS);
    log.info("Status light and button on GPIO {}", panel.pins());
  }

  /**
   * What the light shows: faults first (disk, broker), then the uplink, then what is pending. The
   * broker is judged by the ingest's connection to it (free, unlike a probe socket every second).
   */
  static HubCondition condition(
      HubConfig config, RecordStore store, Uplink uplink, DeviceIngest ingest)
      throws StoreException {
    String fault = null;
    Optional<Disk> disk = Disk.of(config.dataDir());
    if (disk.isPresent() && disk.get().nearlyFull()) {
      fault =
          "disk "
              + disk.get().usedPercent()
              + " % used (above "
              + Disk.FULL_PERCENT
              + " %): free space on the hub's SD card";
    } else if (!ingest.isConnected()) {
      fault = "the hub's ingest is not connected to its own MQTT broker; see the log";
    }
    return new HubCondition(uplink.isUp(), store.pendingCount(), fault);
  }

  public DeviceId id() {
    return id;
  }

  /** The port kiosks connect to. */
  public int mqttPort() {
    return broker.port();
  }

  /** The broker the kiosks connect to (tests stop it to see the hub unready). */
  EmbeddedBroker broker() {
    return broker;
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

  /**
   * The password of the hub's services on its broker, for tests: on an enrolled hub, of any {@code
   * svc:} user (made at this start); on a development hub, of {@code svc:hub-ingest}.
   */
  String servicePassword() {
    return servicePassword;
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

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.broker.BrokerSettings;
import terrain.broker.BrokerStartException;
import terrain.broker.EmbeddedBroker;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;
import terrain.core.id.EventId;
import terrain.core.lifecycle.Closer;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.MqttSecret;
import terrain.http.HttpServer;
import terrain.http.HttpStartException;
import terrain.http.Metrics;
import terrain.http.TlsIdentity;
import terrain.server.access.Access;
import terrain.server.access.PasswordHash;
import terrain.server.access.RateLimiter;
import terrain.server.access.StaffAccounts;
import terrain.server.claim.ClaimApi;
import terrain.server.claim.ClaimWeb;
import terrain.server.claim.Claims;
import terrain.server.claim.PartnerWeb;
import terrain.server.claim.SignaturesAtRest;
import terrain.server.claim.TicketHook;
import terrain.server.devices.ConfigPublisher;
import terrain.server.devices.DeviceApi;
import terrain.server.devices.DeviceKeyHook;
import terrain.server.devices.DeviceLogins;
import terrain.server.devices.DeviceRegistry;
import terrain.server.devices.Enrolments;
import terrain.server.devices.EventTexts;
import terrain.server.devices.ServerKeyFile;
import terrain.server.devices.TrustBundles;
import terrain.server.events.EventsApi;
import terrain.server.events.PublishedEvents;
import terrain.server.export.ExportApi;
import terrain.server.export.Exports;
import terrain.server.followup.FollowUpWeb;
import terrain.server.followup.FollowUps;
import terrain.server.followup.MailOutbox;
import terrain.server.followup.MailSender;
import terrain.server.followup.StaffAccess;
import terrain.server.http.PageRoutes;
import terrain.server.http.WebHandler;
import terrain.server.ideas.IdeaHook;
import terrain.server.ideas.Ideas;
import terrain.server.ingest.BatchSender;
import terrain.server.ingest.Ingest;
import terrain.server.ingest.RejectedApi;
import terrain.server.ingest.SetAside;
import terrain.server.ingest.SetAsideApi;
import terrain.server.ingest.WarmUp;
import terrain.server.ledger.Ledger;
import terrain.server.moderation.Moderation;
import terrain.server.moderation.ModerationWeb;
import terrain.server.partner.Partner;
import terrain.server.partner.Partners;
import terrain.server.reports.ResultsWeb;
import terrain.server.representativeness.ProfileCrossHook;
import terrain.server.representativeness.Representativeness;
import terrain.server.representativeness.RepresentativenessApi;
import terrain.server.representativeness.RepresentativenessSection;
import terrain.server.results.EventCatalog;
import terrain.server.results.MapPictures;
import terrain.server.results.Results;
import terrain.server.results.TallyHook;
import terrain.server.staff.StaffApi;
import terrain.server.staff.StaffWeb;
import terrain.server.wallet.Wallets;
import terrain.server.workshop.WorkshopApi;
import terrain.server.workshop.WorkshopIdeaHook;
import terrain.store.Database;
import terrain.store.IndexStatistics;
import terrain.store.RecordStore;
import terrain.store.RejectedRecords;
import terrain.store.StoreException;
import terrain.transport.Logins;
import terrain.transport.MqttCredentials;

/**
 * A running sync server: database, MQTT broker (embedded, or an external one), ingest and HTTP,
 * wired with {@code new}. {@link #start} returns once HTTP listens and (normally) the ingest is
 * subscribed; {@link #close} stops everything in reverse order.
 */
public final class SyncServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncServer.class);

  /** How long start waits for the ingest's first subscription before going on without it. */
  static final Duration INGEST_WAIT = Duration.ofSeconds(5);

  /**
   * Requests handled at once at most. The system property {@code terrain.server.httpThreads}
   * overrides it, for {@code bench tickets --http-threads} only (decisions 0028, 0045 and 0056 have
   * the tables). 16 since claims became cheap (no verify, one transaction): 32 threads quadrupled
   * the paced p99 beside other work (decision 0056).
   */
  static final int HTTP_THREADS = Integer.getInteger("terrain.server.httpThreads", 16);

  /**
   * The bound of the database pool. At most {@link #HTTP_THREADS} (16) handlers hold a connection
   * at once, plus the ingest's device-key look-ups and the expiry sweep: 40 leaves each of them a
   * connection, so requests queue fairly in Jetty's FIFO (decision 0010) rather than in the pool,
   * and stays well under PostgreSQL's default max_connections (100). The record store and the
   * readers' connections are dedicated, outside the bound (decision 0011).
   */
  static final int DATABASE_POOL = Math.max(40, HTTP_THREADS + 8);

  /** Sign-ins and reviews a partner's cashier may try per client address and minute. */
  static final int PARTNER_ATTEMPTS_PER_MINUTE = 30;

  /** How often briqs past their expiry return to the pool. */
  static final Duration EXPIRY_PERIOD = Duration.ofHours(1);

  private final Deque<AutoCloseable> resources;
  private final Ingest ingest;
  private final DeviceRegistry devices;
  private final Ledger ledger;
  private final int httpPort;
  private final Integer brokerPort;
  private final String baseUrl;
  private final Enrolments enrolments;
  private final ConfigPublisher configs;
  private final EmbeddedBroker broker;
  private final PageRoutes.Table routes;
  private final CountDownLatch closed = new CountDownLatch(1);
  private boolean closing;

  private SyncServer(
      Deque<AutoCloseable> resources,
      Ingest ingest,
      DeviceRegistry devices,
      Ledger ledger,
      int httpPort,
      Integer brokerPort,
      String baseUrl,
      Enrolments enrolments,
      ConfigPublisher configs,
      EmbeddedBroker broker,
      PageRoutes.Table routes) {
    this.routes = routes;
    this.enrolments = enrolments;
    this.configs = configs;
    this.broker = broker;
    this.resources = resources;
    this.ingest = ingest;
    this.devices = devices;
    this.ledger = ledger;
    this.httpPort = httpPort;
    this.brokerPort = brokerPort;
    this.baseUrl = baseUrl;
  }

  /**
   * Starts the server. On failure, whatever had started is closed again.
   *
   * @throws StartException with the {@link StartFailure} an operator can act on
   */
  public static SyncServer start(ServerConfig config, Clock clock, RandomGenerator random)
      throws StartException {
    return start(config, null, clock, random);
  }

  /**
   * As {@link #start(ServerConfig, Clock, RandomGenerator)}; with {@code tls}, HTTP serves HTTPS
   * only and the embedded broker's listener speaks TLS only (the ingest pins that certificate).
   */
  public static SyncServer start(
      ServerConfig config, TlsIdentity tls, Clock clock, RandomGenerator random)
      throws StartException {
    long startNanos = System.nanoTime();
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      EventCatalog catalog = loadEvents(config);
      EventTexts eventTexts = eventTexts(config);
      requirePortFree("HTTP", "--http", config.bindAddress(), config.httpPort());
      createDataFolder(config);
      SecureRandom secrets = new SecureRandom();
      DeviceKeys serverKeys = serverKeys(config, secrets);

      Database database = openDatabase(config);
      // Claims run three short transactions each: reuse connections (a new PostgreSQL connection
      // is a server process and milliseconds; a Derby one a few hundred microseconds).
      resources.push(database);
      pool(database);
      RecordStore store = store(database);
      RejectedRecords rejected = new RejectedRecords(database);
      resources.push(store);

      // The server's own services log in to its broker with a secret made at each start.
      String serviceSecret = MqttSecret.generate(secrets);
      DeviceLogins deviceLogins =
          new DeviceLogins(() -> Enrolments.enrolled(database, clock), clock);
      refresh(deviceLogins);
      String brokerUrl;
      Integer brokerPort = null;
      EmbeddedBroker broker = null;
      if (config.embeddedBroker()) {
        broker = startBroker(config, logins(config, serviceSecret, deviceLogins), tls);
        resources.push(broker);
        brokerPort = broker.port();
        brokerUrl =
            (tls == null ? "tcp://" : "ssl://")
                + localHost(config.bindAddress())
                + ":"
                + broker.port();
      } else {
        brokerUrl = config.externalBroker();
      }

      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "ingest-link");
                thread.setDaemon(true);
                return thread;
              });
      resources.push(() -> shutdown(scheduler));
      DeviceRegistry registry = new DeviceRegistry(database, clock);
      BatchSender batchSender = new BatchSender();
      SignaturesAtRest signatures = new SignaturesAtRest(database, registry);
      resources.push(signatures);
      RecordStore.InsertHook hook =
          ingestHook(
              database, registry, batchSender, config.allowDevelopmentKeys(), clock, signatures);
      prepareAccept(store, hook);
      // Events published through the API answer the warm-up as the files' do.
      PublishedEvents published = new PublishedEvents(database, catalog, clock);
      loadPublished(published);
      warmUp(config, catalog, clock);
      SetAside setAside = new SetAside(database, registry);
      String brokerPin = tls != null && config.embeddedBroker() ? tls.sha256() : null;
      Ingest ingest =
          ingest(
              config,
              store,
              hook,
              batchSender,
              brokerUrl,
              serviceSecret,
              brokerPin,
              scheduler,
              random,
              clock);
      resources.push(ingest);
      ingest.start();
      signatures.start(ingest::batches);
      if (!ingest.awaitUp(INGEST_WAIT)) {
        log.warn(
            "Ingest not connected to {} yet ({}); it keeps trying. Check that the broker runs"
                + " and that --broker and --site-key are right.",
            brokerUrl,
            ingest.lastProblem());
      }
      if (broker != null) {
        // Hubs were asked to come back until the ingest subscribed (EmbeddedBroker.startHeld);
        // past the wait they are let in all the same, as before that rule.
        broker.admitDevices();
      }

      Results results = new Results(database, catalog);
      resources.push(results);
      WorkshopApi workshops = new WorkshopApi(database, catalog);
      resources.push(workshops);
      Representativeness representativeness = new Representativeness(database, catalog);
      resources.push(representativeness);
      Exports exports = new Exports(database, catalog);
      resources.push(exports);
      Ideas ideas = new Ideas(database);
      resources.push(ideas);
      Moderation moderation = new Moderation(database, clock);
      resources.push(moderation);
      Ledger ledger = new Ledger(database, clock, secrets);
      Wallets wallets = new Wallets(database, ledger, clock, secrets);
      Claims claims = new Claims(database, registry, ledger, clock, catalog);
      claims.onActivity(signatures::busy);
      RateLimiter claimLimit = new RateLimiter(config.claimsPerMinute(), clock);
      Partners partners = new Partners(config.partners(), clock);
      openPartners(ledger, partners);
      RateLimiter partnerLimit = new RateLimiter(PARTNER_ATTEMPTS_PER_MINUTE, clock);
      StaffAccounts staff = new StaffAccounts(database);
      Access access =
          new Access(
              staff,
              config.adminToken(),
              new PasswordHash(PasswordHash.DEFAULT, secrets),
              clock,
              secrets);
      ClaimApi claimApi =
          new ClaimApi(wallets, claims, ledger, registry, claimLimit, access, clock, partners);
      ScheduledExecutorService expiry =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "ledger-expiry");
                thread.setDaemon(true);
                return thread;
              });
      resources.push(() -> shutdown(expiry));
      expiry.scheduleWithFixedDelay(
          () -> expire(ledger), 1, EXPIRY_PERIOD.toMinutes(), TimeUnit.MINUTES);
      expiry.scheduleWithFixedDelay(
          () -> purgeSessions(staff, clock), 1, EXPIRY_PERIOD.toMinutes(), TimeUnit.MINUTES);
      IndexStatistics statistics = new IndexStatistics(database, ingest::received, clock);
      expiry.scheduleWithFixedDelay(statistics::refreshIfDueLogged, 1, 1, TimeUnit.MINUTES);
      AtomicReference<URI> publicUrl =
          new AtomicReference<>(config.publicUrl() == null ? null : URI.create(config.publicUrl()));
      String uplink =
          config.mqttPublic() != null
              ? config.mqttPublic()
              : config.embeddedBroker()
                  ? (tls == null ? "tcp://" : "ssl://") + "127.0.0.1:" + brokerPort
                  : config.externalBroker();
      TrustBundles bundles =
          new TrustBundles(
              serverKeys,
              eventTexts,
              new TrustBundles.Settings(
                  uplink,
                  () -> publicUrl.get() == null ? null : publicUrl.get().toString(),
                  tls == null ? null : tls.sha256()),
              clock);
      Enrolments enrolments = new Enrolments(database, registry, bundles, clock, secrets);
      ScheduledExecutorService trust =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "trust-config");
                thread.setDaemon(true);
                return thread;
              });
      resources.push(() -> shutdown(trust));
      ConfigPublisher configs = new ConfigPublisher(enrolments, ingest::publish, trust);
      EmbeddedBroker ownBroker = broker;
      enrolments.listen(
          (event, revoked) -> {
            refresh(deviceLogins);
            if (ownBroker != null) {
              for (Enrolments.Device device : revoked) {
                if (ownBroker.disconnect(device.id().value())) {
                  log.info("Revoked device {} disconnected from the broker", device.id());
                }
              }
            }
            configs.changed(event);
          });
      DeviceApi deviceApi =
          new DeviceApi(
              enrolments,
              access,
              new RateLimiter(DeviceApi.ENROL_ATTEMPTS_PER_MINUTE, clock),
              publicUrl::get,
              clock,
              secrets);
      Observability observability =
          Observability.create(
              config.metricsPublic(),
              database,
              broker,
              ingest,
              setAside,
              claims,
              signatures,
              ledger,
              enrolments);
      FollowUps followUps = new FollowUps(database, clock, secrets);
      MailOutbox outbox = new MailOutbox(database);
      AtomicReference<MailSender> mailSender = new AtomicReference<>();
      FollowUpWeb followUpWeb =
          new FollowUpWeb(
              followUps,
              outbox,
              config.mail(),
              () -> {
                MailSender sender = mailSender.get();
                if (sender != null) {
                  sender.wake();
                }
              },
              catalog,
              wallets,
              new StaffAccess(access),
              () -> publicUrl.get().toString(),
              secrets,
              clock);
      // One router for the whole server (decision 0043): each family adds its routes.
      PageRoutes.Builder routes = PageRoutes.builder();
      observability.routes(routes);
      new StaffWeb(access, secrets).routes(routes);
      new StaffApi(access).routes(routes);
      followUpWeb.routes(routes);
      new ModerationWeb(moderation, access, catalog).routes(routes);
      deviceApi.routes(routes::route);
      claimApi.routes(routes);
      new EventsApi(published, access, configs::changed).routes(routes);
      new ClaimWeb(
              claims,
              wallets,
              ledger,
              claimLimit,
              secrets,
              clock,
              catalog,
              new ClaimWeb.WalletEvents() {
                @Override
                public java.util.List<String> events(terrain.core.id.WalletId wallet)
                    throws StoreException {
                  return followUps.walletEvents(wallet);
                }

                @Override
                public java.util.Set<String> subscribed(terrain.core.id.WalletId wallet)
                    throws StoreException {
                  return followUps.subscribedEvents(wallet);
                }
              })
          .routes(routes);
      new PartnerWeb(partners, wallets, ledger, partnerLimit, secrets).routes(routes);
      routes.get(SetAsideApi.PATH, SetAsideApi.endpoint(setAside, access));
      routes.get(RejectedApi.PATH, RejectedApi.endpoint(rejected, access));
      workshops.routes(routes);
      new ResultsWeb(
              results,
              ideas,
              new MapPictures(catalog, config.eventFiles()),
              clock,
              new RepresentativenessSection(representativeness)::report)
          .routes(routes);
      new RepresentativenessApi(representativeness).routes(routes);
      new ExportApi(exports, access).routes(routes);
      new WebHandler(
              results,
              store,
              ingest,
              ideas,
              setAside,
              rejected,
              java.util.List.of(
                  new RepresentativenessSection(representativeness), workshops.pageSection()))
          .statusSection("ingestCommits", () -> commitsSection(ingest))
          .statusSection(
              "ticketsCheckedAtRest",
              () ->
                  java.util.Map.of(
                      "verified", signatures.verified(),
                      "failed", signatures.failed(),
                      "pending", signatures.pending()))
          .routes(routes);
      HttpServer http =
          startHttp(config, tls, observability.metrics(), routes.build(WebHandler.ANSWERS));
      PageRoutes.Table routeTable = routes.table();
      resources.push(http);

      String scheme = tls == null ? "http://" : "https://";
      String baseUrl = scheme + localHost(config.bindAddress()) + ":" + http.port();
      publicUrl.compareAndSet(null, URI.create(scheme + "127.0.0.1:" + http.port()));
      // The sender starts once the public address is known: every mail links to it.
      if (config.mail().configured()) {
        MailSender sender =
            new MailSender(outbox, config.mail(), () -> publicUrl.get().toString(), clock);
        resources.push(sender);
        mailSender.set(sender.start());
      } else {
        log.info(
            "No SMTP server (--smtp-host): follow-up mails stay queued in the database until the"
                + " server starts with one");
      }
      publishConfigs(enrolments, configs);
      log.info(
          "Sync server listening on {} (bind {}, MQTT {}, database {}, started in {} ms)",
          baseUrl,
          config.bindAddress(),
          brokerUrl,
          redact(config.databaseUrl()),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      return new SyncServer(
          resources,
          ingest,
          registry,
          ledger,
          http.port(),
          brokerPort,
          baseUrl,
          enrolments,
          configs,
          broker,
          routeTable);
    } catch (StartException | RuntimeException e) {
      Closer.closeAll(resources);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Closer.closeAll(resources);
      throw new StartException(new StartFailure.BrokerFailed("interrupted while starting"), e);
    }
  }

  /** The HTTP routes: each path spec and the methods it takes. */
  public PageRoutes.Table routes() {
    return routes;
  }

  public int httpPort() {
    return httpPort;
  }

  /** {@code http://HOST:PORT} of the HTTP side, with a loopback host when bound everywhere. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The embedded broker's port; null when an external broker is used. */
  public Integer brokerPort() {
    return brokerPort;
  }

  public Ingest ingest() {
    return ingest;
  }

  /** The registry of device keys (for enrolment by provisioning, and tests). */
  public DeviceRegistry devices() {
    return devices;
  }

  /** The enrolled devices (kiosks, tablets, hubs) and the bundles signed for them. */
  public Enrolments enrolments() {
    return enrolments;
  }

  /** Whether every event's configuration has reached the broker. */
  public boolean configsPublished() {
    return configs.idle();
  }

  /** The embedded broker; null with an external one. */
  public EmbeddedBroker broker() {
    return broker;
  }

  /** The briqs' ledger. */
  public Ledger ledger() {
    return ledger;
  }

  /** Blocks until {@link #close} has finished. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /** Stops HTTP, the ingest, the embedded broker and the database, in that order. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
    }
    log.info("Sync server stopping");
    Closer.closeAll(resources);
    log.info("Sync server stopped");
    closed.countDown();
  }

  private static EventCatalog loadEvents(ServerConfig config) throws StartException {
    try {
      return EventCatalog.load(config.eventFiles());
    } catch (EventFileException e) {
      throw new StartException(new StartFailure.EventFile(e.getMessage()), e);
    } catch (IllegalArgumentException e) {
      throw new StartException(new StartFailure.EventFile(e.getMessage()), e);
    }
  }

  private static void createDataFolder(ServerConfig config) throws StartException {
    try {
      Files.createDirectories(config.dataDir());
      if (!Files.isWritable(config.dataDir())) {
        throw new StartException(
            new StartFailure.DataFolder(config.dataDir(), "it is not writable"), null);
      }
    } catch (IOException e) {
      throw new StartException(new StartFailure.DataFolder(config.dataDir(), e.toString()), e);
    }
  }

  /**
   * What the server's ingest does in the transaction of each batch it stores, after the records: a
   * revoked device's late records set aside (none of the hooks sees them), then the tallies and
   * breakdowns, device keys, tickets, ideas, profile counts and workshop ideas. The response bodies
   * the record rules decoded are decoded once for every hook (decision 0044). Public for the
   * bench's in-process replay of the ingest ({@code IngestReplay}).
   */
  public static RecordStore.InsertHook ingestHook(
      Database database,
      DeviceRegistry registry,
      BatchSender batchSender,
      boolean allowDevelopmentKeys,
      Clock clock) {
    return ingestHook(
        database, registry, batchSender, allowDevelopmentKeys, clock, TicketHook.Listener.NONE);
  }

  /**
   * As {@link #ingestHook(Database, DeviceRegistry, BatchSender, boolean, Clock)}, the ticket hook
   * telling {@code tickets} of every batch (the checker of signatures at rest).
   */
  static RecordStore.InsertHook ingestHook(
      Database database,
      DeviceRegistry registry,
      BatchSender batchSender,
      boolean allowDevelopmentKeys,
      Clock clock,
      TicketHook.Listener ticketListener) {
    TallyHook tally = new TallyHook(batchSender);
    DeviceKeyHook keys = new DeviceKeyHook(registry, allowDevelopmentKeys, clock);
    TicketHook tickets = new TicketHook(ticketListener);
    IdeaHook ideaHook = new IdeaHook(clock);
    ProfileCrossHook profileCross = new ProfileCrossHook();
    WorkshopIdeaHook workshopIdeas = new WorkshopIdeaHook(clock);
    // One list for the batch's work and the statements compiled at start (decision 0062).
    List<RecordStore.InsertHook> hooks =
        List.of(tally, keys, tickets, ideaHook, profileCross, workshopIdeas);
    RecordStore.InsertHook counted = RecordStore.InsertHook.all(hooks);
    return new SetAside(database, registry).filter(counted);
  }

  /**
   * The server's JVM-wide Derby settings for this JVM's heap, read when a database boots; an
   * operator's own {@code -D} value wins.
   */
  static void derbySettings() {
    derbySettings(Runtime.getRuntime().maxMemory());
  }

  /**
   * {@link #derbySettings()} with the page cache sized for a heap of {@code maxHeapBytes}. Benches
   * call it (through {@link ServerMain}) before their reference inserts with the heap the server
   * ships with, not their own, so that the reference runs on the same Derby as the server.
   */
  static void derbySettings(long maxHeapBytes) {
    // Every ledger entry takes an identity value; Derby hands them out in ranges of 100 by default,
    // and claims waited for each new range (seen in bench tickets).
    if (System.getProperty("derby.language.sequence.preallocator") == null) {
      System.setProperty("derby.language.sequence.preallocator", "5000");
    }
    // Derby caches 1,000 pages by default (4 MB of 4 KiB pages): a backlog's batch of 5,000
    // records and its derived rows evicted dirty pages all the time (decision 0053). The cache
    // counts pages, and `records` has 32 KiB pages: no more than the heap can hold (decision 0059).
    if (System.getProperty("derby.storage.pageCacheSize") == null) {
      int pages = derbyPageCache(maxHeapBytes);
      System.setProperty("derby.storage.pageCacheSize", String.valueOf(pages));
      log.info(
          "Derby page cache: {} pages, at most {} MB of a heap of {} MB",
          pages,
          (long) pages * DERBY_LARGEST_PAGE >> 20,
          maxHeapBytes >> 20);
    }
    // Derby writes its log in buffers of 32 KiB by default, each write forced to the disk: a
    // backlog's batch of 5,000 records waited for a hundred of them. 1 MiB buffers (three of them)
    // make that a few; a commit still forces the log before it returns (decision 0057).
    if (System.getProperty("derby.storage.logBufferSize") == null) {
      System.setProperty("derby.storage.logBufferSize", String.valueOf(DERBY_LOG_BUFFER));
    }
    // Derby starts a new log file at a commit once the file passed 1 MiB, and a checkpoint every
    // 10 MiB of log, by default. A backlog's drain writes about 400 bytes of log a record (the
    // records, their derived rows and every index entry): a new log file at nearly every batch's
    // commit and five checkpoints of the page cache for 122,175 records, each a wait for the disk
    // in a commit. Larger intervals make that a few; a crash then replays at most the checkpoint
    // interval's log at the next start (decision 0069).
    if (System.getProperty(DERBY_LOG_SWITCH) == null) {
      System.setProperty(DERBY_LOG_SWITCH, String.valueOf(DERBY_LOG_FILE));
    }
    if (System.getProperty(DERBY_CHECKPOINT) == null) {
      System.setProperty(DERBY_CHECKPOINT, String.valueOf(DERBY_CHECKPOINT_LOG));
    }
    // Derby's index statistics daemon rescanned the growing tables during a drain, a third of a
    // core; the server refreshes them itself once ingest pauses (decision 0055).
    IndexStatistics.disableDaemon();
  }

  /** Derby's property for the size of a log file before it starts the next one. */
  static final String DERBY_LOG_SWITCH = "derby.storage.logSwitchInterval";

  /** Derby's property for the log written between two checkpoints. */
  static final String DERBY_CHECKPOINT = "derby.storage.checkpointInterval";

  /** A log file on the server, in bytes (Derby's default 1 MiB; decision 0069). */
  static final int DERBY_LOG_FILE = 16 << 20;

  /** The log between two checkpoints on the server, in bytes (Derby's default 10 MiB). */
  static final int DERBY_CHECKPOINT_LOG = 64 << 20;

  /** {@code /api/status}'s {@code ingestCommits}: milliseconds since start (decision 0057). */
  private static java.util.Map<String, Object> commitsSection(Ingest ingest) {
    terrain.transport.CommitTimes commits = ingest.commitTimes();
    long queued = commits.queuedNanos();
    return java.util.Map.of(
        "batches",
        ingest.batches(),
        "millis",
        commits.wallNanos() / 1_000_000,
        "cpuMillis",
        commits.cpuNanos() / 1_000_000,
        "waitingForCoreMillis",
        queued < 0 ? -1 : queued / 1_000_000);
  }

  /** Derby's log buffer on the server, in bytes (decision 0057). */
  static final int DERBY_LOG_BUFFER = 1 << 20;

  /** Derby's page cache on the server, in pages, with a heap large enough (decision 0053). */
  static final int DERBY_PAGE_CACHE = 16_000;

  /**
   * Derby's largest page: the one it gives a table whose rows may be long, as {@code records} (a
   * body of up to 32,000 bytes) and {@code text_packs}.
   */
  static final int DERBY_LARGEST_PAGE = 32 * 1024;

  /**
   * The page cache for a heap of {@code maxHeapBytes}: {@link #DERBY_PAGE_CACHE} pages, or fewer
   * when that many of Derby's largest pages would fill more than a quarter of the heap, and never
   * fewer than Derby's own 1,000. The cache counts pages, not bytes: 16,000 pages of `records` are
   * 500 MB, and with the 512 MB heap it ships with the server's live set reached 350-405 MB in a
   * season of the bench (decision 0059). At two fifths of the heap, a cache full of 32 KiB pages
   * would be 204 MB of 512, on its own at G1's threshold for a marking cycle (45 % of the heap); a
   * quarter leaves room for the rest of the live set and the garbage between cycles (decision
   * 0060).
   */
  static int derbyPageCache(long maxHeapBytes) {
    long fits = maxHeapBytes / 4 / DERBY_LARGEST_PAGE;
    return (int) Math.max(1_000, Math.min(DERBY_PAGE_CACHE, fits));
  }

  private static Database openDatabase(ServerConfig config) throws StartException {
    derbySettings();
    try {
      return Database.open(config.databaseUrl(), "classpath:db/migration/server");
    } catch (StoreException e) {
      throw new StartException(new StartFailure.DatabaseUnavailable(e.getMessage()), e);
    }
  }

  /**
   * Runs the ingest once on made-up participations before hubs are let in (decision 0064): the
   * server's events, or the sample market day when it has none. Derby only: on PostgreSQL the
   * database's own code is not the JVM's to compile.
   */
  private static void warmUp(ServerConfig config, EventCatalog catalog, Clock clock) {
    if (config.warmUpRecords() > 0 && !config.databaseUrl().startsWith("jdbc:derby:")) {
      log.info("Ingest warm-up skipped: it runs on Derby, and this server's database is not.");
      return;
    }
    List<EventDefinition> events = catalog.definitions();
    if (events.isEmpty() && config.warmUpRecords() > 0) {
      Optional<EventDefinition> sample = sampleEvent();
      if (sample.isEmpty()) {
        return;
      }
      events = List.of(sample.get());
    }
    WarmUp.run(
        config.dataDir().resolve("warm-up"),
        events,
        config.warmUpRecords(),
        WarmUp.BUDGET,
        (scratch, sender) ->
            ingestHook(
                scratch,
                new DeviceRegistry(scratch, clock),
                sender,
                config.allowDevelopmentKeys(),
                clock,
                TicketHook.Listener.NONE),
        clock);
  }

  /**
   * The sample market day bundled with the server (examples/events/market-day.yaml); empty, with a
   * warning, if the jar lacks it: the warm-up only saves time, and the server starts without it.
   */
  static Optional<EventDefinition> sampleEvent() {
    String name = "ingest/market-day.yaml";
    try (java.io.InputStream in = SyncServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing from the server's jar");
      }
      return Optional.of(
          EventLoader.parse(
              new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), name));
    } catch (IOException | EventFileException e) {
      log.warn(
          "Ingest warm-up skipped: its sample event {} cannot be read ({}). The server starts"
              + " cold; reinstall the package.",
          name,
          e.getMessage());
      return Optional.empty();
    }
  }

  private static void loadPublished(PublishedEvents published) throws StartException {
    try {
      published.loadIntoCatalog();
    } catch (StoreException e) {
      throw new StartException(new StartFailure.DatabaseUnavailable(e.getMessage()), e);
    }
  }

  private static void openPartners(Ledger ledger, Partners partners) throws StartException {
    try {
      for (Partner partner : partners.all()) {
        ledger.openPartner(partner.id());
      }
    } catch (StoreException e) {
      throw new StartException(new StartFailure.DatabaseUnavailable(e.getMessage()), e);
    }
  }

  private static void pool(Database database) throws StartException {
    try {
      database.pool(Database.PoolSettings.of(DATABASE_POOL));
    } catch (StoreException e) {
      throw new StartException(new StartFailure.DatabaseUnavailable(e.getMessage()), e);
    }
  }

  /**
   * Compiles the ingest's statements before the broker delivers the first batch (decision 0062): a
   * statement that does not compile is a schema the code does not match, and the server does not
   * start on it.
   */
  private static void prepareAccept(RecordStore store, RecordStore.InsertHook hook)
      throws StartException {
    long start = System.nanoTime();
    try {
      int prepared = store.prepareAccept(hook);
      log.info(
          "Ingest statements compiled: {} in {} ms",
          prepared,
          (System.nanoTime() - start) / 1_000_000);
    } catch (StoreException e) {
      throw new StartException(new StartFailure.DatabaseUnavailable(e.getMessage()), e);
    }
  }

  private static RecordStore store(Database database) throws StartException {
    try {
      return new RecordStore(database);
    } catch (StoreException e) {
      throw new StartException(new StartFailure.DatabaseUnavailable(e.getMessage()), e);
    }
  }

  /**
   * Who may log in to the embedded broker: the server's own services (a secret made at this start)
   * and the enrolled devices and hubs that are not revoked; with {@code --dev}, also every client
   * whose password derives from the site key.
   */
  static Logins logins(ServerConfig config, String serviceSecret, DeviceLogins devices) {
    String serviceHash = MqttSecret.hash(serviceSecret);
    Logins services =
        Logins.hashes(
            username ->
                username.startsWith(MqttCredentials.SERVICE_PREFIX)
                    ? Optional.of(serviceHash)
                    : Optional.empty());
    Logins logins = services.or(devices.logins());
    if (config.dev() && config.siteKey() != null) {
      logins = logins.or(Logins.siteKey(config.siteKey()));
    }
    return logins;
  }

  private static void refresh(DeviceLogins logins) {
    try {
      logins.refresh();
    } catch (StoreException e) {
      log.warn(
          "The MQTT logins of enrolled devices could not be read again; the previous ones stay", e);
    }
  }

  private static void publishConfigs(Enrolments enrolments, ConfigPublisher configs) {
    try {
      for (EventId event : enrolments.eventsWithDevices()) {
        configs.changed(event);
      }
    } catch (StoreException e) {
      log.warn("The events' configurations could not be published at start", e);
    }
  }

  private static EventTexts eventTexts(ServerConfig config) throws StartException {
    try {
      return EventTexts.of(config.eventFiles());
    } catch (EventFileException e) {
      throw new StartException(new StartFailure.EventFile(e.getMessage()), e);
    } catch (IOException e) {
      throw new StartException(
          new StartFailure.EventFile("cannot read an event file: " + e.getMessage()), e);
    }
  }

  private static DeviceKeys serverKeys(ServerConfig config, SecureRandom random)
      throws StartException {
    try {
      return ServerKeyFile.loadOrCreate(config.dataDir(), random);
    } catch (ServerKeyFile.KeyFileException e) {
      throw new StartException(new StartFailure.ServerKey(e.getMessage()), e);
    }
  }

  private static EmbeddedBroker startBroker(ServerConfig config, Logins logins, TlsIdentity tls)
      throws StartException {
    try {
      BrokerSettings settings =
          new BrokerSettings(config.brokerDir(), config.bindAddress(), config.mqttPort(), logins)
              .withIngestGroup(config.ingestGroup());
      return EmbeddedBroker.startHeld(
          tls == null
              ? settings
              : settings.withTls(new BrokerSettings.Tls(tls.privateKey(), tls.chain())));
    } catch (BrokerStartException e) {
      if (e.isPortInUse()) {
        throw new StartException(
            new StartFailure.PortInUse("MQTT", "--mqtt", config.bindAddress(), config.mqttPort()),
            e);
      }
      throw new StartException(new StartFailure.BrokerFailed(e.getMessage()), e);
    } catch (UncheckedIOException e) {
      throw new StartException(new StartFailure.BrokerFailed(e.getMessage()), e);
    }
  }

  private static Ingest ingest(
      ServerConfig config,
      RecordStore store,
      RecordStore.InsertHook hook,
      BatchSender batchSender,
      String brokerUrl,
      String serviceSecret,
      String brokerPin,
      ScheduledExecutorService scheduler,
      RandomGenerator random,
      Clock clock)
      throws StartException {
    // The embedded broker knows the service secret; an external broker decides on its own (the
    // site key's passwords, or anonymous access).
    String siteKey = config.embeddedBroker() ? null : config.siteKey();
    try {
      return new Ingest(
          store,
          hook,
          brokerUrl,
          brokerPin,
          config.ingestGroup(),
          username ->
              siteKey == null ? serviceSecret : MqttCredentials.passwordFor(siteKey, username),
          scheduler,
          random,
          clock,
          batchSender);
    } catch (MqttException | IllegalArgumentException e) {
      throw new StartException(
          new StartFailure.BrokerFailed(
              "cannot create the MQTT client for " + brokerUrl + ": " + e.getMessage()),
          e);
    }
  }

  private static HttpServer startHttp(
      ServerConfig config, TlsIdentity tls, Metrics metrics, Handler handler)
      throws StartException {
    try {
      HttpServer.Builder builder = HttpServer.builder();
      if (tls != null) {
        builder.tls(tls);
      }
      return builder
          .name("http")
          .bind(config.bindAddress(), config.httpPort())
          // Handlers block on the database, but more of them is not faster: Derby's lock manager
          // scans the holders of a table's intent lock on every lock, so 128 concurrent claims
          // were a third slower than 32 (bench tickets, profiled: LockControl.addLock), and 32 had
          // four times the paced p99 of 16 beside other work (decision 0056).
          .threads(4, HTTP_THREADS)
          // Event ids come from records and may hold a '/': links encode it as %2F, and
          // WebHandler splits the raw path before decoding, so an encoded separator is not
          // ambiguous here.
          .uriCompliance(
              UriCompliance.DEFAULT.with(
                  "terrain", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR))
          .trustProxy(config.trustProxy())
          .metrics(metrics)
          .handler(handler)
          .start();
    } catch (HttpStartException e) {
      if (e.isPortInUse() && config.httpPort() != 0) {
        throw new StartException(
            new StartFailure.PortInUse("HTTP", "--http", config.bindAddress(), config.httpPort()),
            e);
      }
      throw new StartException(
          new StartFailure.HttpFailed(
              "cannot listen on "
                  + config.bindAddress()
                  + ":"
                  + config.httpPort()
                  + ": "
                  + e.getMessage()),
          e);
    }
  }

  /** Fails fast, before the database and broker start, when the HTTP port is taken. */
  private static void requirePortFree(String service, String option, String bind, int port)
      throws StartException {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(bind, port));
    } catch (BindException e) {
      throw new StartException(new StartFailure.PortInUse(service, option, bind, port), e);
    } catch (IOException | IllegalArgumentException e) {
      // Another problem (an unknown address...): the real start reports it.
      log.debug("Port probe of {}:{} failed: {}", bind, port, e.toString());
    }
  }

  /** The address to reach a listener bound to {@code bind} from this machine. */
  static String localHost(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") ? "127.0.0.1" : bind;
  }

  /** A JDBC URL without its query string, where PostgreSQL credentials may sit. */
  static String redact(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    return base.endsWith(";create=true") ? base.substring(0, base.length() - 12) : base;
  }

  private static void expire(Ledger ledger) {
    try {
      long returned = ledger.expire();
      if (returned > 0) {
        log.info("{} expired briqs returned to the pool", returned);
      }
    } catch (StoreException | RuntimeException e) {
      log.warn("Returning expired briqs failed, next try in {}", EXPIRY_PERIOD, e);
    }
  }

  private static void purgeSessions(StaffAccounts staff, Clock clock) {
    try {
      long now = clock.millis();
      int ended = staff.purgeSessions(now, now - Access.IDLE.toMillis());
      if (ended > 0) {
        log.info("{} expired staff sessions removed", ended);
      }
    } catch (StoreException | RuntimeException e) {
      log.warn("Removing expired staff sessions failed, next try in {}", EXPIRY_PERIOD, e);
    }
  }

  private static void shutdown(ScheduledExecutorService scheduler) throws InterruptedException {
    scheduler.shutdownNow();
    scheduler.awaitTermination(5, TimeUnit.SECONDS);
  }
}

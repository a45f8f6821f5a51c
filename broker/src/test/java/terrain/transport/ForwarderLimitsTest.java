// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.broker.BrokerSettings;
import terrain.broker.EmbeddedBroker;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.store.Database;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * A backlog past the wire limits (more records than a batch may hold, bodies that do not compress)
 * goes from a forwarder through the embedded broker to a receiver in batches under every limit.
 */
class ForwarderLimitsTest {
  private static final String KEY = "forwarder-limits-key";
  private static final DeviceId KIOSK = DeviceId.of("kiosk-60");
  private static final DeviceId HUB = DeviceId.of("hub-60");

  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private static final ScheduledExecutorService linkScheduler = Executors.newScheduledThreadPool(2);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    scheduler.shutdownNow();
  }

  @org.junit.jupiter.api.AfterAll
  static void stopLinkScheduler() {
    linkScheduler.shutdownNow();
  }

  @Test
  void pump_whenBacklogPastTheLimits_sendsItAllInBatchesUnderTheLimits() throws Exception {
    Rig rig = rig();
    EmbeddedBroker broker = rig.broker();
    RecordStore outbox = rig.outbox();
    RecordStore inbox = rig.inbox();

    SplittableRandom random = new SplittableRandom(60);
    List<RecordStore.Draft> large = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      byte[] body = new byte[Record.MAX_BODY_BYTES];
      random.nextBytes(body);
      large.add(new RecordStore.Draft(RecordKind.RESPONSE, "ev", body));
    }
    outbox.appendAll(KIOSK, large, 1);
    List<RecordStore.Draft> small = new ArrayList<>();
    for (int i = 0; i < WireCodec.MAX_RECORDS + 2_000; i++) {
      small.add(new RecordStore.Draft(RecordKind.RESPONSE, "ev", new byte[] {1, 2, 3}));
    }
    outbox.appendAll(KIOSK, small, 2);
    int total = large.size() + small.size();

    List<Integer> payloadSizes = new CopyOnWriteArrayList<>();
    List<Integer> recordCounts = new CopyOnWriteArrayList<>();
    Receiver receiver = receiver(inbox, RecordStore.InsertHook.NONE);
    ingest(
        broker,
        "ingest-60",
        receiver,
        (topic, payload) -> {
          payloadSizes.add(payload.length);
          Batch batch = WireCodec.decodeBatch(payload);
          recordCounts.add(batch.records().size());
          receiver.handle(topic, payload);
        });

    Forwarder forwarder =
        forwarder(
            outbox,
            new Forwarder.Settings(50_000, 2, Duration.ofSeconds(30), Duration.ofMillis(10)));
    device(broker, forwarder, forwarder);

    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                recordCounts.stream().mapToInt(Integer::intValue).sum() >= total
                    && outbox.pendingCount() == 0);

    assertTrue(
        payloadSizes.stream().allMatch(size -> size <= WireCodec.MAX_MESSAGE_BYTES),
        "payload sizes " + payloadSizes);
    assertTrue(
        recordCounts.stream().allMatch(count -> count <= WireCodec.MAX_RECORDS),
        "record counts " + recordCounts);
    assertTrue(recordCounts.size() >= 5, "batches " + recordCounts);
    assertEquals(0, receiver.rejectedCount());
    assertEquals(total, receiver.acceptedCount());
  }

  /**
   * A receiver slower than the window per ack timeout, but acknowledging batch after batch: the
   * window is not sent again (before, every batch behind the first timed out and went out twice or
   * more, and a busy server spent the drain on duplicates).
   *
   * <p>The forwarder's time is the test's: each batch costs the receiver 800 ms on the forwarder's
   * clock, so the window of 8 takes 6.4 s against a 5.6 s timeout whatever the machine's speed. A
   * cold JIT or a busy CI machine used to take the first real ack past the real timeout (2 runs of
   * 8 in the sixteenth session). Each batch also holds the receiver past one of the forwarder's 1 s
   * timeout checks, so a check sees every moment of the window: without the progress rule in {@link
   * Forwarder#onAck}, the check during the eighth batch sends the window again.
   */
  @Test
  void ackTimeout_whenReceiverSlowButAcking_sendsEachRecordOnce() throws Exception {
    Rig rig = rig();
    EmbeddedBroker broker = rig.broker();
    RecordStore outbox = rig.outbox();
    RecordStore inbox = rig.inbox();
    List<RecordStore.Draft> drafts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      drafts.add(new RecordStore.Draft(RecordKind.RESPONSE, "ev", new byte[] {(byte) i}));
    }
    outbox.appendAll(KIOSK, drafts, 1);

    terrain.testkit.MutableClock forwarderTime =
        new terrain.testkit.MutableClock(java.time.Instant.parse("2026-06-13T09:00:00Z"));
    Receiver receiver =
        receiver(
            inbox,
            (connection, inserted) -> {
              forwarderTime.advance(Duration.ofMillis(800)); // the slow server's batch
              try {
                Thread.sleep(1_100); // past one of the forwarder's 1 s checks
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.sql.SQLException("interrupted", e);
              }
            });
    ingest(broker, "ingest-61", receiver, receiver::handle);
    Forwarder forwarder =
        forwarder(
            outbox,
            new Forwarder.Settings(10, 8, Duration.ofMillis(5_600), Duration.ofMillis(10)),
            forwarderTime);
    device(broker, forwarder, forwarder);

    await().atMost(Duration.ofSeconds(60)).until(() -> outbox.pendingCount() == 0);

    assertEquals(drafts.size(), receiver.acceptedCount());
    assertEquals(drafts.size(), forwarder.recordsSent(), "records sent, repeats included");
    assertEquals(drafts.size(), receiver.receivedCount(), "records received, repeats included");
    assertTrue(
        forwarderTime.instant().isAfter(java.time.Instant.parse("2026-06-13T09:00:06.399Z")),
        "the window took longer than the timeout on the forwarder's clock");
  }

  /**
   * The link says it is connected a moment before the forwarder's connect task runs: a pump in
   * between (the 1 s check, a wake) must not send, or the connect task sends the window again. The
   * test holds the connect back to make that moment as long as it likes.
   */
  @Test
  void connect_whenPumpRunsBeforeTheConnectTask_sendsEachRecordOnce() throws Exception {
    Rig rig = rig();
    EmbeddedBroker broker = rig.broker();
    RecordStore outbox = rig.outbox();
    RecordStore inbox = rig.inbox();
    List<RecordStore.Draft> drafts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      drafts.add(new RecordStore.Draft(RecordKind.RESPONSE, "ev", new byte[] {(byte) i}));
    }
    outbox.appendAll(KIOSK, drafts, 1);
    Receiver receiver = receiver(inbox, RecordStore.InsertHook.NONE);
    ingest(broker, "ingest-62", receiver, receiver::handle);
    Forwarder forwarder =
        forwarder(
            outbox, new Forwarder.Settings(10, 8, Duration.ofSeconds(30), Duration.ofMillis(10)));
    java.util.concurrent.CountDownLatch linked = new java.util.concurrent.CountDownLatch(1);
    // The forwarder hears of the connect below, later.
    MqttLink device = device(broker, forwarder, linked::countDown);
    assertTrue(linked.await(30, java.util.concurrent.TimeUnit.SECONDS), "the link connected");
    assertTrue(device.isConnected());

    forwarder.wake(); // a pump while the link is up but its connect not yet handled
    // The forwarder's thread runs its tasks in time order: one due after the wake's linger (10 ms)
    // returns once that pump has run.
    scheduler.schedule(() -> {}, 100, java.util.concurrent.TimeUnit.MILLISECONDS).get();
    assertEquals(0, forwarder.recordsSent(), "nothing sent before the connect is handled");

    forwarder.connected();
    await().atMost(Duration.ofSeconds(30)).until(() -> outbox.pendingCount() == 0);

    assertEquals(drafts.size(), receiver.acceptedCount());
    assertEquals(drafts.size(), forwarder.recordsSent(), "records sent, repeats included");
    assertEquals(drafts.size(), receiver.receivedCount(), "records received, repeats included");
  }

  /**
   * A pipelined receiver (decision 0056): batches decoded on the delivering thread, committed on
   * the pipeline's, one after the other in arrival order, each acknowledged once committed; the
   * backlog goes once, with every commit run inside the receiver's {@code around}.
   */
  @Test
  void pipeline_whenBatchesArriveWhileOneCommits_commitsInOrderOnItsThreadAndAcksEach()
      throws Exception {
    Rig rig = rig();
    RecordStore outbox = rig.outbox();
    List<RecordStore.Draft> drafts = new ArrayList<>();
    for (int i = 0; i < 4 * WireCodec.MAX_RECORDS + 1_000; i++) {
      drafts.add(new RecordStore.Draft(RecordKind.RESPONSE, "ev", new byte[] {(byte) i}));
    }
    outbox.appendAll(KIOSK, drafts, 1);
    List<Long> firstSeqs = new CopyOnWriteArrayList<>();
    List<String> committers = new CopyOnWriteArrayList<>();
    List<String> deliverers = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger around =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger inside =
        new java.util.concurrent.atomic.AtomicInteger();
    Receiver receiver =
        receiver(
            rig.inbox(),
            (connection, inserted) -> {
              committers.add(Thread.currentThread().getName());
              firstSeqs.add(inserted.get(0).seq());
              if (inside.get() != 1) {
                throw new java.sql.SQLException("a commit outside the receiver's around");
              }
              try {
                Thread.sleep(200); // a commit slower than the decoding of the next batch
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    try (Receiver.Pipeline pipeline = new Receiver.Pipeline("test-commit", 2)) {
      receiver.pipeline(
          pipeline,
          (topic, commit) -> {
            around.incrementAndGet();
            inside.incrementAndGet();
            try {
              commit.run();
            } finally {
              inside.decrementAndGet();
            }
          });
      ingest(
          rig.broker(),
          "ingest-62",
          receiver,
          (topic, payload) -> {
            deliverers.add(Thread.currentThread().getName());
            receiver.handle(topic, payload);
          });
      Forwarder forwarder =
          forwarder(
              outbox,
              new Forwarder.Settings(5_000, 8, Duration.ofSeconds(30), Duration.ofMillis(10)));
      device(rig.broker(), forwarder, forwarder);

      await().atMost(Duration.ofSeconds(60)).until(() -> outbox.pendingCount() == 0);

      assertEquals(drafts.size(), receiver.acceptedCount());
      assertEquals(drafts.size(), forwarder.recordsSent(), "each record sent once");
      assertTrue(firstSeqs.size() >= 5, "batches " + firstSeqs);
      List<Long> sorted = new ArrayList<>(firstSeqs);
      java.util.Collections.sort(sorted);
      assertEquals(sorted, firstSeqs, "committed in the order they arrived");
      assertEquals(List.of("test-commit"), committers.stream().distinct().toList());
      assertTrue(deliverers.stream().noneMatch("test-commit"::equals), "decoded elsewhere");
      assertEquals(firstSeqs.size(), around.get());
    }
  }

  /** The kiosk's forwarder of {@code outbox} with {@code settings}, on the test's scheduler. */
  private Forwarder forwarder(RecordStore outbox, Forwarder.Settings settings) {
    return forwarder(outbox, settings, Clock.systemUTC());
  }

  /** The same, its deadlines read on {@code clock}. */
  private Forwarder forwarder(RecordStore outbox, Forwarder.Settings settings, Clock clock) {
    return new Forwarder(outbox, KIOSK, Topics.deviceUp(KIOSK), settings, scheduler, clock);
  }

  /** The embedded broker, the kiosk's outbox and the hub's inbox, each on real Derby files. */
  private record Rig(EmbeddedBroker broker, RecordStore outbox, RecordStore inbox) {}

  private Rig rig() throws Exception {
    EmbeddedBroker broker =
        EmbeddedBroker.start(new BrokerSettings(dir.resolve("broker"), "127.0.0.1", 0, KEY));
    toClose.add(broker);
    Database kioskDb = Database.open(Database.derbyUrl(dir.resolve("kiosk")));
    toClose.add(kioskDb);
    Database hubDb = Database.open(Database.derbyUrl(dir.resolve("hub")));
    toClose.add(hubDb);
    return new Rig(broker, new RecordStore(kioskDb), new RecordStore(hubDb));
  }

  /**
   * The hub's receiver on {@code inbox}, which accepts every content: these tests are about sizes,
   * acks and timeouts, so their bodies are a few arbitrary bytes. Its statements are compiled
   * first, as the hub and the server do (decision 0062).
   */
  private static Receiver receiver(RecordStore inbox, RecordStore.InsertHook hook)
      throws StoreException {
    inbox.prepareAccept(hook);
    return new Receiver(
        inbox,
        HUB,
        true,
        hook,
        new RecordStore.Quarantine(HUB, record -> java.util.Optional.empty()),
        Clock.systemUTC(),
        result -> {});
  }

  /**
   * The hub's ingest link on {@code broker}: device batches to {@code handler}, acks by {@code
   * receiver}; returns once it is subscribed. A kiosk that connected first sent its window to a
   * topic nobody had subscribed yet, and the broker dropped it: the test then waited for the ack
   * timeout to send it again (the flaky runs of the sixteenth session: 180 and 200 records sent for
   * 100).
   */
  private void ingest(
      EmbeddedBroker broker, String clientId, Receiver receiver, MqttLink.Handler handler)
      throws Exception {
    java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);
    MqttLink ingest =
        link(
            broker,
            MqttCredentials.serviceUsername("ingest"),
            clientId,
            List.of(new MqttLink.Subscription(Topics.ALL_DEVICE_UP, 1, handler)),
            subscribed::countDown); // told once the link has subscribed (MqttLink.connect)
    receiver.attach(ingest);
    toClose.add(ingest);
    ingest.start();
    assertTrue(
        subscribed.await(30, java.util.concurrent.TimeUnit.SECONDS), "the ingest subscribed");
  }

  /** The kiosk's link, acks to {@code forwarder}, told of connects by {@code listener}; started. */
  private MqttLink device(EmbeddedBroker broker, Forwarder forwarder, MqttLink.Listener listener)
      throws Exception {
    MqttLink device =
        link(
            broker,
            MqttCredentials.deviceUsername(KIOSK.value()),
            KIOSK.value(),
            List.of(new MqttLink.Subscription(Topics.deviceAck(KIOSK), 1, forwarder::onAck)),
            listener);
    forwarder.attach(device);
    toClose.add(device);
    device.start();
    return device;
  }

  private static MqttLink link(
      EmbeddedBroker broker,
      String username,
      String clientId,
      List<MqttLink.Subscription> subscriptions,
      MqttLink.Listener listener)
      throws Exception {
    MqttLink.Settings settings =
        MqttLink.Settings.of(
                "tcp://127.0.0.1:" + broker.port(),
                clientId,
                username,
                MqttCredentials.passwordFor(KEY, username))
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(300));
    return new MqttLink(settings, subscriptions, listener, linkScheduler, new SplittableRandom(1));
  }
}

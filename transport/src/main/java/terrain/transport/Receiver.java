// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.codec.WireLimitException;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * Receives batches on {@code terrain/v1/dev/+/up} or {@code terrain/v1/hub/+/up}, commits them
 * idempotently and only then acknowledges them to their sender.
 *
 * <p>A payload that is not a valid batch (or goes past a wire limit, see {@link WireCodec}), or
 * whose records claim another device than the topic's, is rejected with one log line naming the
 * sender (at most five a minute per sender), and dropped: it never crashes the node and never
 * blocks the messages behind it.
 *
 * <p>A valid batch is screened record by record ({@link RecordStore.Quarantine}, decision 0016): a
 * record that breaks the {@link terrain.core.rules.RecordRules} or that the database refuses is
 * quarantined with its reason, logged and acknowledged with the others, so that nothing behind it
 * waits. If the database itself fails, nothing is acknowledged, so the sender keeps the records and
 * sends them again.
 */
public final class Receiver {
  private static final Logger log = LoggerFactory.getLogger(Receiver.class);

  /** At most {@link #REJECT_LOG_BURST} rejection lines per sender in this time. */
  static final long REJECT_LOG_INTERVAL_MS = 60_000;

  static final int REJECT_LOG_BURST = 5;

  private static final int MAX_REJECT_LOG_SENDERS = 10_000;

  private final RecordStore store;
  private final DeviceId self;
  private final boolean stampHubTime;
  private final RecordStore.InsertHook hook;
  private final RecordStore.Quarantine quarantine;
  private final Clock clock;
  private final Consumer<RecordStore.AcceptResult> afterCommit;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private final AtomicLong quarantined = new AtomicLong();
  private final Map<String, RejectLog> rejectLog = new HashMap<>();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final CommitTimes commitTimes = new CommitTimes();
  // One inflater and buffer for every batch this receiver decodes (decision 0060); its native
  // memory goes with the receiver (the inflater's cleaner).
  private final WireCodec.BatchDecoder decoder = new WireCodec.BatchDecoder();
  private final java.util.Map<DeviceId, Long> lagMillis =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile MqttLink link;
  private volatile Pipeline pipeline;
  private volatile java.util.function.BiConsumer<String, Runnable> around =
      (topic, commit) -> commit.run();

  /**
   * @param self the receiver's id, written in its acks
   * @param stampHubTime true on a field hub: records get the hub's receive time
   * @param hook runs inside the committing transaction with the new records
   * @param afterCommit runs after each commit, e.g. to wake the uplink
   */
  public Receiver(
      RecordStore store,
      DeviceId self,
      boolean stampHubTime,
      RecordStore.InsertHook hook,
      Clock clock,
      Consumer<RecordStore.AcceptResult> afterCommit) {
    this(store, self, stampHubTime, hook, RecordStore.Quarantine.of(self), clock, afterCommit);
  }

  /**
   * As the other constructor, with the quarantine's rules given (tests of other concerns may accept
   * any body); the node's database must have the {@code rejected_records} table.
   */
  public Receiver(
      RecordStore store,
      DeviceId self,
      boolean stampHubTime,
      RecordStore.InsertHook hook,
      RecordStore.Quarantine quarantine,
      Clock clock,
      Consumer<RecordStore.AcceptResult> afterCommit) {
    this.store = store;
    this.self = self;
    this.stampHubTime = stampHubTime;
    this.hook = hook;
    this.quarantine = quarantine;
    this.clock = clock;
    this.afterCommit = afterCommit;
  }

  /** The link on which acks go back (the one that delivers the batches). */
  public void attach(MqttLink link) {
    this.link = link;
  }

  /**
   * From now on, {@link #handle} decodes and screens a batch on the delivering thread and commits
   * it on {@code pipeline}'s thread, in arrival order: the next batch is decoded while the one
   * before is committed (decision 0056); with {@code pipeline} null, on the delivering thread as
   * before. {@code around} runs each commit either way (e.g. to tell the hooks which hub sent it,
   * on the committing thread).
   */
  public void pipeline(Pipeline pipeline, java.util.function.BiConsumer<String, Runnable> around) {
    this.around = around;
    this.pipeline = pipeline;
  }

  /**
   * Commits received batches on a thread of its own, in the order they arrived, while the thread
   * that delivers them decodes and screens the next one. At most {@code depth} batches wait for
   * their commit; the delivering thread then waits too, which holds the broker's deliveries back as
   * a receiver committing on the delivering thread did. A batch waiting when the pipeline closes is
   * committed first (up to ten seconds); one refused after it closed is not acknowledged, and its
   * sender sends it again.
   */
  public static final class Pipeline implements AutoCloseable {
    private final java.util.concurrent.ExecutorService committer;
    private final java.util.concurrent.Semaphore room;

    public Pipeline(String threadName, int depth) {
      if (depth < 1) {
        throw new IllegalArgumentException("A pipeline holds at least one batch, not " + depth);
      }
      this.room = new java.util.concurrent.Semaphore(depth);
      this.committer =
          java.util.concurrent.Executors.newSingleThreadExecutor(
              task -> {
                Thread thread = new Thread(task, threadName);
                thread.setDaemon(true);
                return thread;
              });
    }

    void submit(Runnable commit) {
      try {
        room.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        log.info("Stopped while a batch waited for its commit; its sender will send it again");
        return;
      }
      try {
        committer.execute(
            () -> {
              try {
                commit.run();
              } catch (RuntimeException e) {
                log.error("A received batch could not be committed; not acknowledged", e);
              } finally {
                room.release();
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        room.release();
        log.info("A batch arrived as the ingest closed; its sender will send it again");
      }
    }

    @Override
    public void close() {
      committer.shutdown();
      try {
        if (!committer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
          committer.shutdownNow();
        }
      } catch (InterruptedException e) {
        committer.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  public void handle(String topic, byte[] payload) {
    Topics.Up up = Topics.parseUp(topic).orElse(null);
    if (up == null) {
      reject(topic, payload, "not a Terrain up topic");
      return;
    }
    Batch batch;
    try {
      batch = decoder.decode(payload);
    } catch (WireLimitException e) {
      reject(
          topic,
          payload,
          "refused, past the wire limit " + e.limit() + " (" + e.max() + "): " + e.getMessage());
      return;
    } catch (WireException e) {
      reject(topic, payload, e.getMessage());
      return;
    }
    if (!batch.sender().equals(up.id())) {
      reject(topic, payload, "batch sender " + batch.sender() + " does not match the topic");
      return;
    }
    if (up.sender() == Topics.Sender.DEVICE) {
      for (Record record : batch.records()) {
        if (!record.device().equals(up.id())) {
          reject(
              topic, payload, "record of device " + record.device() + " on another device's topic");
          return;
        }
      }
    }
    List<Record> records = batch.records();
    if (up.sender() == Topics.Sender.DEVICE) {
      // A device cannot vouch for a hop's receive time: the server trusts hub times (revocation,
      // issue times), so a hub stamps its own and the server keeps none from a device.
      records = records.stream().map(r -> r.hubTime() == 0 ? r : r.withHubTime(0)).toList();
    }
    RecordStore.Screened screened = RecordStore.screen(records, quarantine);
    Pipeline current = pipeline;
    if (current == null) {
      around.accept(topic, () -> commit(up, batch, screened));
      return;
    }
    current.submit(() -> around.accept(topic, () -> commit(up, batch, screened)));
  }

  /** Stores a screened batch, then acknowledges it: the second half of {@link #handle}. */
  private void commit(Topics.Up up, Batch batch, RecordStore.Screened screened) {
    List<Record> records = screened.records();
    RecordStore.AcceptResult result;
    long now = clock.millis();
    long wallStart = System.nanoTime();
    ThreadTimes timesStart = ThreadTimes.now();
    try {
      result = store.accept(screened, now, stampHubTime, hook);
    } catch (StoreException e) {
      log.error(
          "Could not store batch {} from {} ({} records); not acknowledged, the sender will send"
              + " it again.",
          batch.batchId(),
          up.id(),
          batch.records().size(),
          e);
      return;
    }
    commitTimes.add(wallStart, timesStart);
    accepted.addAndGet(result.inserted());
    batches.incrementAndGet();
    this.records.addAndGet(records.size());
    if (up.sender() == Topics.Sender.HUB) {
      // How far behind the hub's uplink is: its oldest record in this batch, from when the hub
      // received it to this commit.
      long oldest = records.stream().mapToLong(Record::hubTime).filter(t -> t > 0).min().orElse(0);
      lagMillis.put(up.id(), oldest == 0 ? 0 : Math.max(0, now - oldest));
    }
    if (result.conflicts() > 0) {
      conflicts.addAndGet(result.conflicts());
      log.warn(
          "{} record(s) from {} reuse an identity with different content: kept aside as"
              + " conflicts, not counted (see the conflicts report)",
          result.conflicts(),
          up.id());
    }
    for (RecordStore.Rejected r : result.quarantined()) {
      if (r.hop().equals(quarantine.hop())) {
        quarantined.incrementAndGet();
        warnLimited(
            up.id().value(),
            "Quarantined "
                + r.kind()
                + " "
                + r.device()
                + "#"
                + r.seq()
                + " from "
                + up.id()
                + ": "
                + r.reason()
                + ". Acknowledged so that the records behind it flow; listed in GET /api/rejected");
      } else {
        warnLimited(
            up.id().value(),
            r.kind()
                + " "
                + r.device()
                + "#"
                + r.seq()
                + " was quarantined by "
                + r.hop()
                + " ("
                + r.reason()
                + "); its notice is listed in GET /api/rejected");
      }
    }
    afterCommit.accept(result);
    MqttLink current = link;
    if (current != null) {
      byte[] ack = WireCodec.encodeAck(new Ack(self, batch.batchId(), result.upTo()));
      current
          .publish(up.ackTopic(), ack, false)
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  log.info(
                      "Ack of batch {} to {} not sent ({}); it will be sent again on resend",
                      batch.batchId(),
                      up.id(),
                      error.getMessage());
                }
              });
    }
  }

  /**
   * One WARN line per sender (the topic's device or hub) and per {@link #REJECT_LOG_INTERVAL_MS} at
   * most, without a stack trace: a device that keeps sending bad payloads cannot flood the log. The
   * next line says how many were left out.
   */
  private void reject(String topic, byte[] payload, String reason) {
    rejected.incrementAndGet();
    String sender = Topics.parseUp(topic).map(up -> up.id().value()).orElse(topic);
    warnLimited(
        sender,
        "Rejected a payload of "
            + (payload == null ? 0 : payload.length)
            + " bytes from "
            + sender
            + " on "
            + topic
            + ": "
            + reason);
  }

  /** One WARN line, unless {@code sender} had its {@link #REJECT_LOG_BURST} this minute. */
  private void warnLimited(String sender, String line) {
    long now = clock.millis();
    long suppressed;
    synchronized (rejectLog) {
      if (rejectLog.size() >= MAX_REJECT_LOG_SENDERS && !rejectLog.containsKey(sender)) {
        rejectLog.clear();
      }
      RejectLog entry = rejectLog.computeIfAbsent(sender, k -> new RejectLog());
      if (now - entry.windowStart >= REJECT_LOG_INTERVAL_MS) {
        entry.windowStart = now;
        entry.logged = 0;
      }
      if (entry.logged >= REJECT_LOG_BURST) {
        entry.suppressed++;
        return;
      }
      entry.logged++;
      suppressed = entry.suppressed;
      entry.suppressed = 0;
    }
    log.warn(
        "{}{}",
        line,
        suppressed == 0
            ? ""
            : " (" + suppressed + " more rejected from " + sender + " since the last line)");
  }

  private static final class RejectLog {
    long windowStart = Long.MIN_VALUE / 2;
    int logged;
    long suppressed;
  }

  /** What the commits took since start: wall, on a core, waiting for a core (decision 0057). */
  public CommitTimes commitTimes() {
    return commitTimes;
  }

  public long acceptedCount() {
    return accepted.get();
  }

  public long rejectedCount() {
    return rejected.get();
  }

  /** Batches committed (and acknowledged) since start. */
  public long batchCount() {
    return batches.get();
  }

  /** Records in the committed batches, new or already stored, since start. */
  public long receivedCount() {
    return records.get();
  }

  /**
   * For each hub heard from, how long its last batch's oldest record waited between the hub's
   * receipt and this commit, in milliseconds.
   */
  public java.util.Map<DeviceId, Long> hubLagMillis() {
    return java.util.Map.copyOf(lagMillis);
  }

  public long conflictCount() {
    return conflicts.get();
  }

  /** Records this node quarantined since start (not those an earlier hop did). */
  public long quarantinedCount() {
    return quarantined.get();
  }
}

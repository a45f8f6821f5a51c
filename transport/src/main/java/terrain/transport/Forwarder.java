// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.wire.Ack;
import terrain.core.wire.WireCodec;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * Sends a node's outbox (the records above the next hop's acknowledged mark) to the next hop in
 * batches, keeps a few batches in flight, and marks records done only when the next hop's
 * application {@link Ack} says they are committed there. Anything not acknowledged in time, or in
 * flight when the link dropped, is sent again: receivers are idempotent.
 *
 * <p>Used by the kiosk's sync agent (device to hub) and the hub's uplink (hub to server). All the
 * work runs on the given single-threaded scheduler.
 */
public final class Forwarder implements MqttLink.Listener {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  /**
   * Tuning: records per MQTT message (at most; fewer when their bodies would pass {@link
   * WireCodec#MAX_MESSAGE_BYTES}, never more than {@link WireCodec#MAX_RECORDS}), messages in
   * flight, how long to wait for an ack, and how long new records wait for company before being
   * sent (so that a busy kiosk or hub sends a few well-filled batches rather than one message, one
   * receiver commit, per record).
   */
  public record Settings(int batchSize, int window, Duration ackTimeout, Duration linger) {
    public static Settings device() {
      return new Settings(500, 4, Duration.ofSeconds(10), Duration.ofMillis(50));
    }

    public static Settings uplink() {
      return new Settings(5000, 8, Duration.ofSeconds(20), Duration.ofMillis(100));
    }
  }

  private record InFlight(long deadline, Map<DeviceId, Long> lastSeq) {}

  private final RecordStore store;
  private final DeviceId sender;
  private final String upTopic;
  private final Settings settings;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Map<Long, InFlight> inFlight = new LinkedHashMap<>();
  private final Map<DeviceId, Long> sentUpTo = new HashMap<>();
  private final AtomicLong recordsSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong batchesSent = new AtomicLong();
  private volatile long lastAckTime;
  private volatile MqttLink link;
  private long nextBatchId;
  private boolean pumpScheduled;

  /**
   * Whether the link's connect was handled: set and cleared only on the forwarder's thread, by the
   * tasks {@link #connected} and {@link #disconnected} queue. The link reports itself connected a
   * moment before that task runs; a pump in between (the 1 s check, a wake) sent the window, and
   * the connect task then sent it again (bench sync saw 40,000 duplicates in some drains).
   */
  private boolean linkUp;

  public Forwarder(
      RecordStore store,
      DeviceId sender,
      String upTopic,
      Settings settings,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.store = store;
    this.sender = sender;
    this.upTopic = upTopic;
    this.settings = settings;
    this.scheduler = scheduler;
    this.clock = clock;
    this.nextBatchId = clock.millis();
    scheduler.scheduleWithFixedDelay(this::checkTimeouts, 1, 1, TimeUnit.SECONDS);
  }

  /** The link must subscribe its ack topic with {@link #onAck} as handler. */
  public void attach(MqttLink link) {
    this.link = link;
  }

  /** Something new was committed: send it if the link is up. */
  public void wake() {
    synchronized (this) {
      if (pumpScheduled) {
        return;
      }
      pumpScheduled = true;
    }
    scheduler.schedule(this::pump, settings.linger().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void connected() {
    scheduler.execute(
        () -> {
          resend("link (re)connected");
          linkUp = true;
          pump();
        });
  }

  @Override
  public void disconnected(String reason) {
    scheduler.execute(
        () -> {
          linkUp = false;
          resend("link lost: " + reason);
        });
  }

  /** Handler of the ack topic. */
  public void onAck(String topic, byte[] payload) throws WireException, StoreException {
    Ack ack = WireCodec.decodeAck(payload);
    // The ack's time first: a status read between the two then never sees nothing pending and no
    // ack at all (a flaky HubTest showed it).
    lastAckTime = clock.millis();
    store.acknowledged(ack.upTo());
    scheduler.execute(
        () -> {
          Iterator<InFlight> it = inFlight.values().iterator();
          boolean progress = false;
          while (it.hasNext()) {
            InFlight batch = it.next();
            boolean done =
                batch.lastSeq().entrySet().stream()
                    .allMatch(e -> ack.upTo().getOrDefault(e.getKey(), 0L) >= e.getValue());
            if (done) {
              it.remove();
              progress = true;
            }
          }
          if (progress) {
            // The receiver is alive and works through the window in order: the batches behind
            // get a full timeout from now. Without this, a receiver slower than window x batch
            // per timeout (a busy server: 40,000 records in 20 s) saw the whole window again and
            // again, and spent the drain on duplicates (bench sync sent 2.6 records per record).
            long deadline = clock.millis() + settings.ackTimeout().toMillis();
            inFlight.replaceAll(
                (id, batch) -> new InFlight(Math.max(batch.deadline(), deadline), batch.lastSeq()));
          }
          pump();
        });
  }

  private void pump() {
    synchronized (this) {
      pumpScheduled = false;
    }
    MqttLink current = link;
    if (!linkUp || current == null || !current.isConnected()) {
      return;
    }
    try {
      while (inFlight.size() < settings.window()) {
        List<Record> pending =
            store.pending(sentUpTo, Math.min(settings.batchSize(), WireCodec.MAX_RECORDS));
        if (pending.isEmpty()) {
          return;
        }
        long batchId = nextBatchId++;
        // Never past the wire limits: a backlog of large bodies goes out in smaller batches, the
        // rest on the next turn of this loop (sentUpTo advances only past what was sent).
        WireCodec.Encoded encoded = WireCodec.encodeLeadingBatch(sender, batchId, pending);
        List<Record> records = pending.subList(0, encoded.records());
        byte[] payload = encoded.payload();
        Map<DeviceId, Long> last = new HashMap<>();
        for (Record record : records) {
          last.merge(record.device(), record.seq(), Math::max);
        }
        inFlight.put(
            batchId, new InFlight(clock.millis() + settings.ackTimeout().toMillis(), last));
        sentUpTo.putAll(last);
        recordsSent.addAndGet(records.size());
        bytesSent.addAndGet(payload.length);
        batchesSent.incrementAndGet();
        current
            .publish(upTopic, payload, false)
            .whenComplete(
                (ok, error) -> {
                  if (error != null) {
                    scheduler.execute(() -> resend("publish failed: " + error.getMessage()));
                  }
                });
      }
    } catch (StoreException e) {
      log.error("Cannot read the outbox; the next tick tries again", e);
    }
  }

  private void checkTimeouts() {
    try {
      long now = clock.millis();
      for (InFlight batch : inFlight.values()) {
        if (batch.deadline() < now) {
          resend("no acknowledgement within " + settings.ackTimeout().toSeconds() + " s");
          pump();
          return;
        }
      }
      if (inFlight.isEmpty()) {
        pump();
      }
    } catch (RuntimeException e) {
      log.error("Forwarder check failed: {}", e.toString(), e);
    }
  }

  /** Forget what is in flight: the next pump sends again from the acknowledged mark. */
  private void resend(String why) {
    if (!inFlight.isEmpty()) {
      // After a (re)connect this is routine; a timeout or a failed publish is worth a line.
      if (why.startsWith("link")) {
        log.debug(
            "Sending {} unacknowledged batches again to {}: {}", inFlight.size(), upTopic, why);
      } else {
        log.info(
            "Sending {} unacknowledged batches again to {}: {}", inFlight.size(), upTopic, why);
      }
    }
    inFlight.clear();
    sentUpTo.clear();
  }

  public long recordsSent() {
    return recordsSent.get();
  }

  public long bytesSent() {
    return bytesSent.get();
  }

  public long batchesSent() {
    return batchesSent.get();
  }

  /** Epoch millis of the last ack, 0 if none since start. */
  public long lastAckTime() {
    return lastAckTime;
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.common.MqttException;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.core.wire.WireCodec;

/**
 * The next hop as a sender sees it (the hub for a kiosk, the server for a hub): an {@link MqttPeer}
 * that decodes every batch on the up topics it subscribed, keeps the records and, while acking,
 * answers on the sender's ack topic like a hop that committed them.
 */
public final class BatchSink implements AutoCloseable {
  private final MqttPeer peer;
  private final DeviceId self;
  private final List<Batch> batches = new CopyOnWriteArrayList<>();
  private final Map<DeviceId, TreeMap<Long, Record>> records = new ConcurrentHashMap<>();
  private volatile boolean acking;

  private BatchSink(MqttPeer peer, DeviceId self, boolean acking) {
    this.peer = peer;
    this.self = self;
    this.acking = acking;
  }

  /**
   * Connects a service peer, subscribes it to {@code filters} (up topics such as {@link
   * Topics#ALL_DEVICE_UP}, and any other topic to watch through {@link #peer()}).
   *
   * @param self the id the acks carry as their sender
   */
  public static BatchSink connect(
      MqttPeer.Options options, DeviceId self, boolean acking, String... filters)
      throws MqttException {
    MqttPeer peer = options.connect();
    BatchSink sink = new BatchSink(peer, self, acking);
    peer.handle(sink::onMessage);
    try {
      peer.subscribe(filters);
    } catch (MqttException | RuntimeException e) {
      peer.close();
      throw e;
    }
    return sink;
  }

  public MqttPeer peer() {
    return peer;
  }

  public void acking(boolean on) {
    acking = on;
  }

  /** Every batch received, resends included, in arrival order. */
  public List<Batch> batches() {
    return List.copyOf(batches);
  }

  /** The records received from a device, in seq order (resends collapse). */
  public synchronized List<Record> records(DeviceId device) {
    TreeMap<Long, Record> kept = records.get(device);
    return kept == null ? List.of() : List.copyOf(kept.values());
  }

  /** Distinct records received, all devices. */
  public synchronized int recordCount() {
    return records.values().stream().mapToInt(Map::size).sum();
  }

  /** Batches that could not be decoded or answered, one line each; empty when all went well. */
  public List<String> failures() {
    return peer.failures();
  }

  private void onMessage(MqttPeer peer, MqttPeer.Message message) throws Exception {
    Topics.Up up = Topics.parseUp(message.topic()).orElse(null);
    if (up == null) {
      return;
    }
    Batch batch = WireCodec.decodeBatch(message.payload());
    batches.add(batch);
    Map<DeviceId, Long> upTo = new TreeMap<>();
    synchronized (this) {
      for (Record record : batch.records()) {
        records.computeIfAbsent(record.device(), d -> new TreeMap<>()).put(record.seq(), record);
      }
      for (Record record : batch.records()) {
        upTo.put(record.device(), frontier(records.get(record.device())));
      }
    }
    if (acking) {
      peer.reply(up.ackTopic(), WireCodec.encodeAck(new Ack(self, batch.batchId(), upTo)));
    }
  }

  /**
   * The last seq up to which everything is held, as a hop's frontier. A sink started late (or
   * restarted, its memory lost) counts from the first record it got, which the sender sends from
   * its acked mark.
   */
  private static long frontier(TreeMap<Long, Record> held) {
    long contiguous = held.firstKey() - 1;
    for (long seq : held.keySet()) {
      if (seq != contiguous + 1) {
        break;
      }
      contiguous = seq;
    }
    return contiguous;
  }

  @Override
  public void close() throws MqttException {
    peer.close();
  }
}

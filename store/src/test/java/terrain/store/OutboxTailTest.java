// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;

/**
 * The outbox's records held in memory (decision 0071): a store that holds them forwards exactly
 * what a store reading its database alone forwards.
 */
class OutboxTailTest {
  private static final DeviceId HUB = DeviceId.of("hub-1");
  private static final DeviceId SELF = DeviceId.of("kiosk-self");
  private static final List<DeviceId> KIOSKS =
      List.of(DeviceId.of("kiosk-a"), DeviceId.of("kiosk-b"), DeviceId.of("kiosk-c"));

  /** An empty body stands for a record the rules refuse: it is stored as its notice. */
  private static final RecordStore.Quarantine QUARANTINE =
      new RecordStore.Quarantine(
          HUB, r -> r.body().length == 0 ? Optional.of("empty body") : Optional.empty());

  @TempDir Path folder;

  private RecordStore open(String name, long memory) throws Exception {
    return new RecordStore(Database.open(Database.derbyUrl(folder.resolve(name))), memory);
  }

  private static void close(RecordStore store) {
    store.close();
    store.database().close();
  }

  private static Record record(DeviceId device, long seq, int size, long hubTime) {
    byte[] body = new byte[size];
    for (int i = 0; i < size; i++) {
      body[i] = (byte) (seq * 31 + i);
    }
    return new Record(device, seq, RecordKind.RESPONSE, "ev-1", 1000 + seq, hubTime, body);
  }

  @Test
  void accepted_areHeldUntilAcknowledged_andServedInOrder() throws Exception {
    RecordStore store = open("db", 1 << 20);
    try {
      List<Record> batch = new ArrayList<>();
      for (long seq = 1; seq <= 100; seq++) {
        batch.add(record(KIOSKS.get(0), seq, 20, 0));
      }
      store.accept(batch, 5_000, true, RecordStore.InsertHook.NONE);
      assertEquals(100, store.outboxHeld().records());
      assertEquals(100 * (OutboxTail.OVERHEAD_BYTES + 20L), store.outboxHeld().bytes());

      List<Record> pending = store.pending(Map.of(), 1_000);
      assertEquals(100, pending.size());
      for (int i = 0; i < 100; i++) {
        assertEquals(i + 1, pending.get(i).seq());
        // As stored: stamped with the hub's time of receipt.
        assertEquals(5_000, pending.get(i).hubTime());
      }

      store.acknowledged(Map.of(KIOSKS.get(0), 60L));
      assertEquals(40, store.outboxHeld().records());
      assertEquals(40 * (OutboxTail.OVERHEAD_BYTES + 20L), store.outboxHeld().bytes());
      assertEquals(61, store.pending(Map.of(), 1_000).get(0).seq());

      store.acknowledged(Map.of(KIOSKS.get(0), 100L));
      assertEquals(new RecordStore.OutboxHeld(0, 0), store.outboxHeld());
    } finally {
      close(store);
    }
  }

  @Test
  void pastTheBudget_theRestIsReadFromTheDatabase() throws Exception {
    long perRecord = OutboxTail.OVERHEAD_BYTES + 20L;
    RecordStore store = open("db", 10 * perRecord);
    try {
      List<Record> batch = new ArrayList<>();
      for (long seq = 1; seq <= 50; seq++) {
        batch.add(record(KIOSKS.get(0), seq, 20, 7));
      }
      store.accept(batch, 5_000, true, RecordStore.InsertHook.NONE);
      assertEquals(10, store.outboxHeld().records());
      assertEquals(batch, store.pending(Map.of(), 1_000));
      // The records in flight are skipped; the rest comes from the database.
      assertEquals(batch.subList(20, 50), store.pending(Map.of(KIOSKS.get(0), 20L), 1_000));
    } finally {
      close(store);
    }
  }

  @Test
  void afterARestart_nothingIsHeld_andTheOutboxIsReadFromTheDatabase() throws Exception {
    RecordStore store = open("db", 1 << 20);
    List<Record> batch = new ArrayList<>();
    for (long seq = 1; seq <= 30; seq++) {
      batch.add(record(KIOSKS.get(1), seq, 10, 3));
    }
    store.accept(batch, 5_000, true, RecordStore.InsertHook.NONE);
    close(store);
    store = open("db", 1 << 20);
    try {
      assertEquals(0, store.outboxHeld().records());
      assertEquals(batch, store.pending(Map.of(), 1_000));
    } finally {
      close(store);
    }
  }

  /**
   * The same random life (batches with gaps, duplicates, conflicts and refused records, the
   * device's own records, reads with records in flight, acknowledgements, prunes) on a store
   * reading its database alone, one holding everything and one whose budget runs out: every read of
   * the outbox is the same.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void aRandomLife_forwardsWhatTheDatabaseAloneWouldForward(long seed) throws Exception {
    Random random = new Random(seed);
    RecordStore plain = open("plain", 0);
    RecordStore ample = open("ample", 64L << 20);
    RecordStore tight = open("tight", 40 * (OutboxTail.OVERHEAD_BYTES + 30L));
    List<RecordStore> stores = List.of(plain, ample, tight);
    Map<DeviceId, Long> sentUpTo = new HashMap<>();
    long heldAtReads = 0;
    long tightWasFull = 0;
    try {
      for (int step = 0; step < 200; step++) {
        long now = 10_000 + step;
        int op = random.nextInt(10);
        if (op < 4) {
          List<Record> batch = batch(random, plain, now);
          for (RecordStore store : stores) {
            store.accept(batch, now, true, RecordStore.InsertHook.NONE, QUARANTINE);
          }
        } else if (op == 4) {
          List<RecordStore.Draft> drafts = new ArrayList<>();
          for (int i = random.nextInt(4); i >= 0; i--) {
            drafts.add(new RecordStore.Draft(RecordKind.IDEA, "ev-1", new byte[] {(byte) i, 1}));
          }
          for (RecordStore store : stores) {
            store.appendAll(SELF, drafts, now);
          }
        } else if (op < 8) {
          int limit = 1 + random.nextInt(60);
          Map<DeviceId, Long> after = random.nextInt(4) == 0 ? Map.of() : Map.copyOf(sentUpTo);
          heldAtReads += ample.outboxHeld().records();
          List<Record> expected = plain.pending(after, limit);
          assertEquals(expected, ample.pending(after, limit), "step " + step);
          assertEquals(expected, tight.pending(after, limit), "step " + step);
          for (Record r : expected) {
            sentUpTo.merge(r.device(), r.seq(), Math::max);
          }
        } else if (op == 8) {
          Map<DeviceId, Long> ack = new HashMap<>();
          for (RecordStore.DeviceProgress device : plain.devices()) {
            if (random.nextBoolean() && device.upto() > device.forwarded()) {
              ack.put(
                  device.device(),
                  device.forwarded()
                      + 1
                      + random.nextInt((int) (device.upto() - device.forwarded())));
            }
          }
          for (RecordStore store : stores) {
            store.acknowledged(ack);
          }
          if (random.nextBoolean()) {
            sentUpTo.clear(); // the forwarder's resend after a timeout
          }
        } else {
          for (RecordStore store : stores) {
            store.prune(now - random.nextInt(200));
          }
        }
        if (tight.outboxHeld().bytes()
            > 40 * (OutboxTail.OVERHEAD_BYTES + 30L) - OutboxTail.OVERHEAD_BYTES - 30) {
          tightWasFull++;
        }
        assertTrue(tight.outboxHeld().bytes() <= 40 * (OutboxTail.OVERHEAD_BYTES + 30L));
      }
      // The life exercised what it is meant to: reads served from memory, a budget run out.
      assertTrue(heldAtReads > 0, "no read found records held in memory");
      assertTrue(tightWasFull > 0, "the tight store's budget never ran out");
      // Drained to the end, all three forwarded the same.
      assertEquals(plain.pending(Map.of(), 100_000), ample.pending(Map.of(), 100_000));
      assertEquals(plain.pending(Map.of(), 100_000), tight.pending(Map.of(), 100_000));
    } finally {
      stores.forEach(OutboxTailTest::close);
    }
  }

  /**
   * A kiosk's batch as a hub receives it: from the device's next seq on, sometimes with a gap, some
   * records again (a resend), now and then one with other content (a conflict) or refused.
   */
  private static List<Record> batch(Random random, RecordStore reference, long now)
      throws Exception {
    DeviceId device = KIOSKS.get(random.nextInt(KIOSKS.size()));
    long upto = 0;
    for (RecordStore.DeviceProgress progress : reference.devices()) {
      if (progress.device().equals(device)) {
        upto = progress.upto();
      }
    }
    long first = Math.max(1, upto + 1 - random.nextInt(4) + (random.nextInt(5) == 0 ? 3 : 0));
    List<Record> batch = new ArrayList<>();
    for (long seq = first; seq < first + 1 + random.nextInt(25); seq++) {
      int size = random.nextInt(12) == 0 ? 0 : 1 + random.nextInt(30);
      Record r = record(device, seq, size, 0);
      if (seq <= upto && random.nextInt(6) == 0) {
        r = record(device, seq, size + 1, 0); // other content under a seq already stored
      }
      batch.add(r);
    }
    return batch;
  }
}

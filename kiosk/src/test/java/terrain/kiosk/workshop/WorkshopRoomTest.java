// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.codec.WireException;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.wire.Batch;
import terrain.core.wire.WireCodec;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopAction.Command;
import terrain.kiosk.session.KioskEngine;

/**
 * A tablet's room on a real Derby store: its own actions fold in at once, the hub's relay adds the
 * others', records of another room are left out, two tablets given the same records in another
 * order converge, and the role is kept across a restart.
 */
class WorkshopRoomTest {
  private static final Path ATELIER = Path.of("../examples/events/atelier-parc.yaml");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-12T14:00:00Z"), ZoneOffset.UTC);

  private static KioskEngine engine(Path dir, String id) throws Exception {
    return KioskEngine.open(
        dir.resolve(id), Optional.of(DeviceId.of(id)), CLOCK, new SplittableRandom(1));
  }

  private static byte[] relay(List<Record> records) {
    return WireCodec.encodeBatch(new Batch(DeviceId.of("hub-atelier"), 1, records));
  }

  @Test
  void room_foldsOwnActionsAtOnce_andTheRelaysOthers_leavingOtherRoomsOut(@TempDir Path dir)
      throws Exception {
    EventDefinition event = EventLoader.load(ATELIER);
    try (KioskEngine anim = engine(dir, "tablette-anim")) {
      WorkshopRoom room = new WorkshopRoom(anim, event, new SplittableRandom(2));
      AtomicInteger changes = new AtomicInteger();
      room.addListener(changes::incrementAndGet);
      room.record(new WorkshopAction.Control("idees", Command.START, 0));
      assertEquals(Optional.of("idees"), room.state().clock(CLOCK.millis()).phaseId());
      assertEquals(1, changes.get());

      DeviceId t1 = DeviceId.of("tablette-1");
      Record idea =
          new Record(
              t1,
              1,
              RecordKind.WORKSHOP,
              event.id(),
              CLOCK.millis() + 1000,
              0,
              new WorkshopAction.Idea("idees", 1, "fr", "Des bancs").encode());
      Record otherRoom =
          new Record(t1, 2, RecordKind.WORKSHOP, "autre-atelier", CLOCK.millis(), 0, idea.body());
      Record notWorkshop =
          new Record(t1, 3, RecordKind.IDEA, event.id(), CLOCK.millis(), 0, new byte[] {1});
      Record own = anim.ownWorkshopRecords(event.eventId()).get(0);
      room.relayed(room.topic(), relay(List.of(own, idea, otherRoom, notWorkshop)));

      assertEquals(1, room.state().ideas().size());
      assertEquals(new ItemRef(t1, 1), room.state().ideas().get(0).id());
      assertEquals(2, room.refused(), "another room's record and a non-workshop record");
      assertEquals(2, room.tablets().size());
      WorkshopRoom.Tablet first = room.tablets().get(0);
      assertEquals(t1, first.device());
      assertEquals(1, first.table().getAsInt(), "its table, from its ideas");
      assertTrue(room.tablets().get(1).self());
      assertTrue(room.lastRelay().isPresent());
      assertThrows(WireException.class, () -> room.relayed(room.topic(), new byte[] {9, 9}));
    }
  }

  @Test
  void twoTablets_givenEachOthersRecordsInAnyOrder_converge(@TempDir Path dir) throws Exception {
    EventDefinition event = EventLoader.load(ATELIER);
    try (KioskEngine anim = engine(dir, "tablette-anim");
        KioskEngine table = engine(dir, "tablette-2")) {
      WorkshopRoom a = new WorkshopRoom(anim, event, new SplittableRandom(3));
      WorkshopRoom t = new WorkshopRoom(table, event, new SplittableRandom(4));
      a.record(new WorkshopAction.Control("idees", Command.START, 0));
      ItemRef bench = t.record(new WorkshopAction.Idea("idees", 2, "fr", "Des bancs"));
      t.record(new WorkshopAction.Idea("idees", 2, "fr", "Des arbres"));
      ItemRef group = a.record(new WorkshopAction.NewGroup("regroupement", "Se reposer"));
      a.record(new WorkshopAction.Place("regroupement", bench, Optional.of(group)));
      String voter = t.newVoter();
      t.record(
          List.of(
              new WorkshopAction.Vote("vote", voter, group, 2),
              new WorkshopAction.Vote("vote", voter, bench, 0)));
      assertEquals(0, a.state().ideas().size(), "the facilitator has not heard the table yet");

      // The hub relays the whole room, the tablets' records in another order each.
      List<Record> all = new ArrayList<>(table.ownWorkshopRecords(event.eventId()));
      all.addAll(anim.ownWorkshopRecords(event.eventId()));
      a.relayed(a.topic(), relay(all));
      java.util.Collections.reverse(all);
      t.relayed(t.topic(), relay(all));
      t.relayed(t.topic(), relay(all)); // the retained batch again after a reconnect

      assertEquals(a.state().ideas(), t.state().ideas());
      assertEquals(a.state().groups(), t.state().groups());
      assertEquals(a.state().ranking("vote"), t.state().ranking("vote"));
      assertEquals(2, t.state().totalDots("vote"));
      assertEquals(1, t.ownVoters("vote"));
      assertTrue(voter.matches("p-[a-z0-9]{12}"), voter);
    }
  }

  @Test
  void role_isKeptForItsEventAcrossARestart(@TempDir Path dir) throws Exception {
    EventDefinition event = EventLoader.load(ATELIER);
    try (KioskEngine tablet = engine(dir, "tablette-3")) {
      WorkshopRoom room = new WorkshopRoom(tablet, event, new SplittableRandom(5));
      assertEquals(Optional.empty(), room.keptRole());
      room.keepRole("table-3 ar");
    }
    try (KioskEngine again = engine(dir, "tablette-3")) {
      assertEquals(
          Optional.of("table-3 ar"),
          new WorkshopRoom(again, event, new SplittableRandom(6)).keptRole());
    }
  }
}

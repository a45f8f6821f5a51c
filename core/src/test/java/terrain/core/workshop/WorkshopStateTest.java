// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.workshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import terrain.core.event.LocalizedText;
import terrain.core.event.WorkshopPhase;
import terrain.core.event.WorkshopPhase.Kind;
import terrain.core.event.WorkshopScript;
import terrain.core.record.DeviceId;
import terrain.core.workshop.WorkshopAction.Command;
import terrain.core.workshop.WorkshopState.Entry;

class WorkshopStateTest {
  static final WorkshopScript SCRIPT =
      new WorkshopScript(
          LocalizedText.of("Atelier du parc", "Park workshop"),
          4,
          List.of(
              phase("accueil", Kind.WELCOME, Optional.empty()),
              new WorkshopPhase(
                  "idees",
                  Kind.IDEAS,
                  Duration.ofMinutes(15),
                  Optional.of(LocalizedText.of("Quelles idées pour le parc ?")),
                  Optional.empty()),
              phase("groupes", Kind.GROUPING, Optional.empty()),
              phase("vote", Kind.VOTE, Optional.of(new WorkshopPhase.Vote(3, 2, true))),
              phase("resultats", Kind.RESULTS, Optional.empty())));

  static final DeviceId FACILITATOR = DeviceId.of("tablette-anim");
  static final DeviceId TABLE_1 = DeviceId.of("tablette-1");
  static final DeviceId TABLE_2 = DeviceId.of("tablette-2");
  static final long T0 = 1_780_000_000_000L;

  private final List<Entry> log = new ArrayList<>();
  private final java.util.Map<DeviceId, Long> seqs = new java.util.HashMap<>();

  @Test
  void ideas_keepTheirTablePhaseAndTime_inTheOrderTheyWereRecorded() {
    ItemRef bench = add(TABLE_1, 10, new WorkshopAction.Idea("idees", 1, "fr", "Des bancs"));
    ItemRef light = add(TABLE_2, 5, new WorkshopAction.Idea("idees", 2, "ar", "إنارة"));

    WorkshopState state = fold();

    assertEquals(List.of(light, bench), state.ideas().stream().map(i -> i.id()).toList());
    assertEquals(2, state.ideas().get(0).table());
    assertEquals("idees", state.ideas().get(1).phaseId());
    assertEquals(T0 + 10, state.ideas().get(1).time());
    assertEquals(Map.of(1, 1, 2, 1), state.ideasByTable());
  }

  @Test
  void grouping_mergesAndSplits_withoutLosingAnIdea() {
    ItemRef a = add(TABLE_1, 1, new WorkshopAction.Idea("idees", 1, "fr", "Bancs"));
    ItemRef b = add(TABLE_2, 2, new WorkshopAction.Idea("idees", 2, "fr", "Ombre"));
    ItemRef c = add(TABLE_2, 3, new WorkshopAction.Idea("idees", 2, "fr", "Jeux"));
    ItemRef rest = add(FACILITATOR, 10, new WorkshopAction.NewGroup("groupes", "Se reposer"));
    ItemRef shade = add(FACILITATOR, 11, new WorkshopAction.NewGroup("groupes", "Ombre"));
    add(FACILITATOR, 12, place(a, rest));
    add(FACILITATOR, 13, place(b, shade));
    add(FACILITATOR, 14, new WorkshopAction.Merge("groupes", shade, rest));
    add(FACILITATOR, 15, new WorkshopAction.Rename("groupes", rest, "Se poser à l'ombre"));
    // split: a new group takes one idea back out
    ItemRef split = add(FACILITATOR, 16, new WorkshopAction.NewGroup("groupes", "Fraîcheur"));
    add(FACILITATOR, 17, place(b, split));

    WorkshopState state = fold();

    assertEquals(3, state.ideas().size());
    List<WorkshopState.Group> groups = state.groups();
    assertEquals(List.of(rest, split), groups.stream().map(g -> g.id()).toList());
    assertEquals("Se poser à l'ombre", groups.get(0).title());
    assertEquals(List.of(a), groups.get(0).ideas().stream().map(i -> i.id()).toList());
    assertEquals(List.of(b), groups.get(1).ideas().stream().map(i -> i.id()).toList());
    assertEquals(List.of(c), state.ungrouped().stream().map(i -> i.id()).toList());
    assertEquals(0, state.ignored());
  }

  @Test
  void merge_thatWouldMakeACycle_isIgnored_andTheGroupsStayShown() {
    ItemRef g1 = add(FACILITATOR, 1, new WorkshopAction.NewGroup("groupes", "Un"));
    ItemRef g2 = add(FACILITATOR, 2, new WorkshopAction.NewGroup("groupes", "Deux"));
    add(FACILITATOR, 3, new WorkshopAction.Merge("groupes", g1, g2));
    add(TABLE_1, 4, new WorkshopAction.Merge("groupes", g2, g1));

    WorkshopState state = fold();

    assertEquals(List.of(g2), state.groups().stream().map(g -> g.id()).toList());
    assertEquals(1, state.ignored());
  }

  @Test
  void placement_sortedBeforeItsGroupByADriftingClock_stillApplies() {
    ItemRef idea = add(TABLE_1, 50, new WorkshopAction.Idea("idees", 1, "fr", "Fontaine"));
    // the facilitator's tablet runs 40 ms late: its group is "created" after the placement
    ItemRef group = new ItemRef(FACILITATOR, 99);
    log.add(new Entry(group, T0 + 70, new WorkshopAction.NewGroup("groupes", "Eau")));
    add(TABLE_2, 60, place(idea, group));

    WorkshopState state = fold();

    assertEquals(List.of(idea), state.groups().get(0).ideas().stream().map(i -> i.id()).toList());
  }

  @Test
  void votes_respectDotsAndCap_setNotAdd_andCountForTheGroupOfAnIdea() {
    ItemRef a = add(TABLE_1, 1, new WorkshopAction.Idea("idees", 1, "fr", "Bancs"));
    ItemRef b = add(TABLE_1, 2, new WorkshopAction.Idea("idees", 1, "fr", "Arbres"));
    ItemRef group = add(FACILITATOR, 3, new WorkshopAction.NewGroup("groupes", "Nature"));
    add(FACILITATOR, 4, place(b, group));
    add(TABLE_1, 10, vote("anne-01", a, 2));
    add(TABLE_1, 11, vote("anne-01", a, 2)); // a retry: sets, does not add
    add(TABLE_1, 12, vote("anne-01", b, 1)); // on an idea in a group: counts for the group
    add(TABLE_1, 13, vote("anne-01", group, 1)); // a 4th dot: over her 3, ignored
    add(TABLE_2, 14, vote("bilal-2", group, 3)); // over the cap of 2, ignored
    add(TABLE_2, 15, vote("bilal-2", group, 2));
    add(TABLE_2, 16, vote("bilal-2", a, 1));
    add(TABLE_2, 17, vote("bilal-2", a, 0)); // takes it back

    WorkshopState state = fold();

    assertEquals(2, state.ignored());
    assertEquals(5, state.totalDots("vote"));
    assertEquals(2, state.voters("vote"));
    assertEquals(Map.of(a, 2, b, 1), state.dotsOf("vote", "anne-01"));
    List<WorkshopState.Ranked> ranking = state.ranking("vote");
    assertEquals(group, ranking.get(0).id());
    assertEquals(3, ranking.get(0).dots());
    assertTrue(ranking.get(0).group());
    assertEquals(a, ranking.get(1).id());
    assertEquals(2, ranking.get(1).dots());
  }

  @Test
  void anonymousVote_isHiddenUntilRevealed() {
    assertFalse(fold().revealed("vote"));
    add(FACILITATOR, 1, new WorkshopAction.Reveal("vote"));
    assertTrue(fold().revealed("vote"));
  }

  @Test
  void clock_startsPausesResumesExtendsAndFinishes() {
    add(FACILITATOR, 0, control("idees", Command.START, 0));
    add(FACILITATOR, 60_000, control("idees", Command.PAUSE, 0));
    add(FACILITATOR, 90_000, control("idees", Command.RESUME, 0));
    add(FACILITATOR, 100_000, control("idees", Command.EXTEND, 300));

    WorkshopState.Clock clock = fold().clock(T0 + 150_000);
    assertEquals(Optional.of("idees"), clock.phaseId());
    assertTrue(clock.running());
    // 15 min + 5 min - (60 s before the pause + 60 s since the resume)
    assertEquals(Duration.ofMinutes(20).minusSeconds(120).toMillis(), clock.remainingMillis());

    add(FACILITATOR, 200_000, control("idees", Command.FINISH, 0));
    add(TABLE_1, 210_000, control("accueil", Command.PAUSE, 0)); // stale: not the current phase
    WorkshopState state = fold();
    assertTrue(state.clock(T0 + 500_000).finished());
    assertEquals(
        Duration.ofMinutes(20).minusSeconds(170).toMillis(),
        state.clock(T0 + 900_000).remainingMillis());
    assertEquals(1, state.ignored());
  }

  @Test
  void attendance_countsHeadsByAgeBandAndNeighbourhood() {
    add(TABLE_1, 1, new WorkshopAction.Attend("accueil", "age-25-39", "nord"));
    add(TABLE_1, 2, new WorkshopAction.Attend("accueil", "age-25-39", ""));
    add(TABLE_1, 3, new WorkshopAction.Attend("accueil", "", ""));

    WorkshopState.Attendance attendance = fold().attendance();
    assertEquals(3, attendance.total());
    assertEquals(Map.of("age-25-39", 2), attendance.ageBands());
    assertEquals(Map.of("nord", 1), attendance.areas());
  }

  /** Any order and any duplicates of the same records fold into the same state. */
  @Property(tries = 200)
  void fold_ofTheSameRecordsInAnyOrder_givesTheSameState(@ForAll long seed) {
    Random random = new Random(seed);
    List<Entry> entries = randomWorkshop(random);
    WorkshopState reference = WorkshopState.fold(SCRIPT, entries);
    List<Entry> shuffled = new ArrayList<>(entries);
    for (int i = 0; i < 1 + random.nextInt(5); i++) {
      shuffled.add(entries.get(random.nextInt(entries.size())));
    }
    Collections.shuffle(shuffled, random);
    WorkshopState other = WorkshopState.fold(SCRIPT, shuffled);

    assertEquals(reference.ideas(), other.ideas());
    assertEquals(reference.groups(), other.groups());
    assertEquals(reference.ranking("vote"), other.ranking("vote"));
    assertEquals(reference.totalDots("vote"), other.totalDots("vote"));
    assertEquals(reference.attendance(), other.attendance());
    assertEquals(reference.clock(T0 + 5_000), other.clock(T0 + 5_000));
    assertEquals(reference.ignored(), other.ignored());
  }

  /** Three tablets acting at once: ideas, groups, placements, merges, votes, door counts. */
  private static List<Entry> randomWorkshop(Random random) {
    List<Entry> entries = new ArrayList<>();
    List<ItemRef> ideas = new ArrayList<>();
    List<ItemRef> groups = new ArrayList<>();
    DeviceId[] tablets = {FACILITATOR, TABLE_1, TABLE_2};
    long[] seqs = new long[3];
    for (int i = 0; i < 60; i++) {
      int t = random.nextInt(3);
      ItemRef id = new ItemRef(tablets[t], ++seqs[t]);
      long time = T0 + random.nextInt(4_000); // clocks disagree: times overlap freely
      WorkshopAction action =
          switch (random.nextInt(7)) {
            case 0, 1 -> {
              ideas.add(id);
              yield new WorkshopAction.Idea("idees", t + 1, "fr", "idée " + i);
            }
            case 2 -> {
              groups.add(id);
              yield new WorkshopAction.NewGroup("groupes", "groupe " + i);
            }
            case 3 ->
                ideas.isEmpty() || groups.isEmpty()
                    ? new WorkshopAction.Attend("accueil", "age-" + t, "")
                    : place(pick(random, ideas), pick(random, groups));
            case 4 ->
                groups.size() < 2
                    ? new WorkshopAction.Reveal("vote")
                    : new WorkshopAction.Merge(
                        "groupes",
                        groups.get(0),
                        groups.get(1 + random.nextInt(groups.size() - 1)));
            case 5 ->
                ideas.isEmpty()
                    ? control("idees", Command.START, 0)
                    : vote("voter-" + random.nextInt(4), pick(random, ideas), random.nextInt(3));
            default -> {
              Command command = Command.values()[random.nextInt(5)];
              yield control("idees", command, command == Command.EXTEND ? 60 : 0);
            }
          };
      entries.add(new Entry(id, time, action));
    }
    return entries;
  }

  private static ItemRef pick(Random random, List<ItemRef> refs) {
    return refs.get(random.nextInt(refs.size()));
  }

  private ItemRef add(DeviceId device, long offset, WorkshopAction action) {
    long seq = seqs.merge(device, 1L, Long::sum);
    ItemRef id = new ItemRef(device, seq);
    log.add(new Entry(id, T0 + offset, action));
    return id;
  }

  private WorkshopState fold() {
    return WorkshopState.fold(SCRIPT, log);
  }

  private static WorkshopAction place(ItemRef idea, ItemRef group) {
    return new WorkshopAction.Place("groupes", idea, Optional.of(group));
  }

  private static WorkshopAction vote(String voter, ItemRef item, int dots) {
    return new WorkshopAction.Vote("vote", voter, item, dots);
  }

  private static WorkshopAction control(String phase, Command command, int seconds) {
    return new WorkshopAction.Control(phase, command, seconds);
  }

  private static WorkshopPhase phase(String id, Kind kind, Optional<WorkshopPhase.Vote> vote) {
    return new WorkshopPhase(id, kind, Duration.ofMinutes(10), Optional.empty(), vote);
  }
}

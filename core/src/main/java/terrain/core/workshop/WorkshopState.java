// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.workshop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import terrain.core.event.WorkshopPhase;
import terrain.core.event.WorkshopScript;
import terrain.core.workshop.WorkshopAction.Attend;
import terrain.core.workshop.WorkshopAction.Control;
import terrain.core.workshop.WorkshopAction.Merge;
import terrain.core.workshop.WorkshopAction.NewGroup;
import terrain.core.workshop.WorkshopAction.Place;
import terrain.core.workshop.WorkshopAction.Rename;
import terrain.core.workshop.WorkshopAction.Reveal;
import terrain.core.workshop.WorkshopAction.Vote;

/**
 * The state of a workshop room folded from every action recorded so far, by any tablet.
 *
 * <p>The fold sorts the actions by the tablet's clock, then by record identity, and applies them in
 * that order, so the same set of records gives the same state wherever it is folded and whatever
 * order it arrived in: a tablet back on the Wi-Fi converges with the others as soon as it has their
 * records. Nothing is ever removed: an idea keeps its table, phase and time whatever the grouping;
 * a merged group stays in the history; a vote over a participant's dots or an item's cap is ignored
 * (and counted in {@link #ignored()}), never truncated.
 */
public final class WorkshopState {

  /** One action as recorded: its record identity, its tablet's time and what it says. */
  public record Entry(ItemRef id, long deviceTime, WorkshopAction action) {
    public Entry {
      Objects.requireNonNull(id, "Entry id must not be null");
      Objects.requireNonNull(action, "Entry action must not be null");
    }
  }

  /** An idea as the room sees it now. */
  public record Idea(
      ItemRef id, int table, String phaseId, String language, String text, long time) {}

  /** A group still shown (not merged into another), with its ideas in the order they came. */
  public record Group(ItemRef id, String title, List<Idea> ideas, long time) {}

  /** An item of the ranking: a group, or an idea in no group; {@code label} its title or text. */
  public record Ranked(ItemRef id, String label, boolean group, int dots) {}

  /** The facilitator's timer. */
  public record Clock(
      Optional<String> phaseId, boolean running, boolean finished, long remainingMillis) {}

  /** Heads counted at the door. */
  public record Attendance(int total, Map<String, Integer> ageBands, Map<String, Integer> areas) {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparingLong(Entry::deviceTime).thenComparing(Entry::id);

  private final WorkshopScript script;
  private final Map<ItemRef, Idea> ideas = new LinkedHashMap<>();
  private final Map<ItemRef, String> groupTitles = new LinkedHashMap<>();
  private final Map<ItemRef, Long> groupTimes = new HashMap<>();
  private final Map<ItemRef, ItemRef> placedIn = new HashMap<>();
  private final Map<ItemRef, ItemRef> mergedInto = new HashMap<>();
  private final Map<String, Map<String, Map<ItemRef, Integer>>> votes = new HashMap<>();
  private final Set<String> revealed = new HashSet<>();
  private final Map<String, Integer> ageBands = new TreeMap<>();
  private final Map<String, Integer> areas = new TreeMap<>();
  private int attendance;
  private int ignored;
  private String phase;
  private boolean running;
  private boolean finished;
  private long startedAt;
  private long elapsedBefore;
  private long extraMillis;

  private WorkshopState(WorkshopScript script) {
    this.script = script;
  }

  /** Folds {@code entries} (any order, duplicates allowed) over {@code script}. */
  public static WorkshopState fold(WorkshopScript script, Collection<Entry> entries) {
    Objects.requireNonNull(script, "script must not be null");
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(ORDER);
    WorkshopState state = new WorkshopState(script);
    Set<ItemRef> seen = new HashSet<>();
    List<Entry> distinct = new ArrayList<>();
    for (Entry entry : sorted) {
      if (seen.add(entry.id())) {
        distinct.add(entry);
      }
    }
    // Ideas and groups first: a placement may be sorted before the group it names when two
    // tablets' clocks disagree, and it must still find it.
    for (Entry entry : distinct) {
      state.create(entry);
    }
    for (Entry entry : distinct) {
      state.apply(entry);
    }
    return state;
  }

  private void create(Entry entry) {
    if (entry.action() instanceof WorkshopAction.Idea idea) {
      ideas.put(
          entry.id(),
          new Idea(
              entry.id(),
              idea.table(),
              idea.phaseId(),
              idea.language(),
              idea.text(),
              entry.deviceTime()));
    } else if (entry.action() instanceof NewGroup group) {
      groupTitles.put(entry.id(), group.title());
      groupTimes.put(entry.id(), entry.deviceTime());
    }
  }

  private void apply(Entry entry) {
    WorkshopAction action = entry.action();
    long time = entry.deviceTime();
    if (action instanceof Control control) {
      control(control, time);
    } else if (action instanceof Rename rename) {
      if (groupTitles.containsKey(rename.group())) {
        groupTitles.put(rename.group(), rename.title());
      } else {
        ignored++;
      }
    } else if (action instanceof Place place) {
      if (!ideas.containsKey(place.idea())
          || place.group().map(g -> !groupTitles.containsKey(g)).orElse(false)) {
        ignored++;
      } else if (place.group().isPresent()) {
        placedIn.put(place.idea(), place.group().get());
      } else {
        placedIn.remove(place.idea());
      }
    } else if (action instanceof Merge merge) {
      if (!groupTitles.containsKey(merge.from())
          || !groupTitles.containsKey(merge.into())
          || mergedInto.containsKey(merge.from())
          || resolveGroup(merge.into()).equals(merge.from())) {
        ignored++;
      } else {
        mergedInto.put(merge.from(), merge.into());
      }
    } else if (action instanceof Vote vote) {
      vote(vote);
    } else if (action instanceof Reveal reveal) {
      revealed.add(reveal.phaseId());
    } else if (action instanceof Attend attend) {
      attendance++;
      if (!attend.ageBand().isEmpty()) {
        ageBands.merge(attend.ageBand(), 1, Integer::sum);
      }
      if (!attend.neighbourhood().isEmpty()) {
        areas.merge(attend.neighbourhood(), 1, Integer::sum);
      }
    }
  }

  private void control(Control control, long time) {
    Optional<WorkshopPhase> target = script.phase(control.phaseId());
    if (target.isEmpty()) {
      ignored++;
      return;
    }
    boolean current = control.phaseId().equals(phase);
    switch (control.command()) {
      case START -> {
        phase = control.phaseId();
        running = true;
        finished = false;
        startedAt = time;
        elapsedBefore = 0;
        extraMillis = 0;
      }
      case PAUSE -> {
        if (current && running) {
          elapsedBefore += Math.max(0, time - startedAt);
          running = false;
        } else {
          ignored++;
        }
      }
      case RESUME -> {
        if (current && !running && !finished) {
          startedAt = time;
          running = true;
        } else {
          ignored++;
        }
      }
      case EXTEND -> {
        if (current && !finished) {
          extraMillis += control.seconds() * 1000L;
        } else {
          ignored++;
        }
      }
      case FINISH -> {
        if (current && !finished) {
          if (running) {
            elapsedBefore += Math.max(0, time - startedAt);
          }
          running = false;
          finished = true;
        } else {
          ignored++;
        }
      }
    }
  }

  private void vote(Vote vote) {
    Optional<WorkshopPhase.Vote> rules = script.phase(vote.phaseId()).flatMap(WorkshopPhase::vote);
    boolean known = ideas.containsKey(vote.item()) || groupTitles.containsKey(vote.item());
    if (rules.isEmpty() || !known || vote.dots() > rules.get().capPerItem()) {
      ignored++;
      return;
    }
    Map<ItemRef, Integer> mine =
        votes
            .computeIfAbsent(vote.phaseId(), p -> new HashMap<>())
            .computeIfAbsent(vote.voter(), v -> new HashMap<>());
    int others =
        mine.entrySet().stream()
            .filter(e -> !e.getKey().equals(vote.item()))
            .mapToInt(Map.Entry::getValue)
            .sum();
    if (others + vote.dots() > rules.get().dots()) {
      ignored++;
      return;
    }
    if (vote.dots() == 0) {
      mine.remove(vote.item());
    } else {
      mine.put(vote.item(), vote.dots());
    }
  }

  private ItemRef resolveGroup(ItemRef group) {
    ItemRef at = group;
    for (int hops = 0; hops <= mergedInto.size() && mergedInto.containsKey(at); hops++) {
      at = mergedInto.get(at);
    }
    return at;
  }

  /** Where an item's dots count now: its group (after merges) for an idea placed in one. */
  private ItemRef target(ItemRef item) {
    if (ideas.containsKey(item)) {
      ItemRef group = placedIn.get(item);
      return group == null ? item : resolveGroup(group);
    }
    return resolveGroup(item);
  }

  public WorkshopScript script() {
    return script;
  }

  /** Every idea, in the order they were recorded. */
  public List<Idea> ideas() {
    return ideas.values().stream()
        .sorted(Comparator.comparingLong(Idea::time).thenComparing(Idea::id))
        .toList();
  }

  /** The groups shown (merged ones are in the history only), oldest first. */
  public List<Group> groups() {
    Map<ItemRef, List<Idea>> members = new LinkedHashMap<>();
    for (Idea idea : ideas()) {
      ItemRef group = placedIn.get(idea.id());
      if (group != null) {
        members.computeIfAbsent(resolveGroup(group), g -> new ArrayList<>()).add(idea);
      }
    }
    List<Group> groups = new ArrayList<>();
    for (Map.Entry<ItemRef, String> group : groupTitles.entrySet()) {
      if (!mergedInto.containsKey(group.getKey())) {
        groups.add(
            new Group(
                group.getKey(),
                group.getValue(),
                List.copyOf(members.getOrDefault(group.getKey(), List.of())),
                groupTimes.get(group.getKey())));
      }
    }
    groups.sort(Comparator.comparingLong(Group::time).thenComparing(Group::id));
    return groups;
  }

  /** The ideas in no group. */
  public List<Idea> ungrouped() {
    return ideas().stream().filter(i -> !placedIn.containsKey(i.id())).toList();
  }

  /** Ideas per table, for the facilitator's "what each table sent". */
  public Map<Integer, Integer> ideasByTable() {
    Map<Integer, Integer> byTable = new TreeMap<>();
    ideas.values().forEach(i -> byTable.merge(i.table(), 1, Integer::sum));
    return byTable;
  }

  /** The dots a participant has placed in a vote phase, item by item. */
  public Map<ItemRef, Integer> dotsOf(String phaseId, String voter) {
    return Map.copyOf(votes.getOrDefault(phaseId, Map.of()).getOrDefault(voter, Map.of()));
  }

  /** How many participants placed at least one dot in a vote phase. */
  public int voters(String phaseId) {
    return (int)
        votes.getOrDefault(phaseId, Map.of()).values().stream().filter(m -> !m.isEmpty()).count();
  }

  /** Every dot placed in a vote phase. */
  public int totalDots(String phaseId) {
    return votes.getOrDefault(phaseId, Map.of()).values().stream()
        .flatMap(m -> m.values().stream())
        .mapToInt(Integer::intValue)
        .sum();
  }

  /** Whether the facilitator revealed this vote's totals (or the vote is not anonymous). */
  public boolean revealed(String phaseId) {
    return revealed.contains(phaseId)
        || script
            .phase(phaseId)
            .flatMap(WorkshopPhase::vote)
            .map(rules -> !rules.anonymous())
            .orElse(false);
  }

  /**
   * The ranking of a vote phase: every group shown and every idea in no group, most dots first
   * (ties: groups before ideas, oldest first). A dot placed on an idea later grouped counts for its
   * group.
   */
  public List<Ranked> ranking(String phaseId) {
    Map<ItemRef, Integer> dots = new HashMap<>();
    votes
        .getOrDefault(phaseId, Map.of())
        .values()
        .forEach(mine -> mine.forEach((item, n) -> dots.merge(target(item), n, Integer::sum)));
    List<Ranked> ranking = new ArrayList<>();
    for (Group group : groups()) {
      ranking.add(new Ranked(group.id(), group.title(), true, dots.getOrDefault(group.id(), 0)));
    }
    for (Idea idea : ungrouped()) {
      ranking.add(new Ranked(idea.id(), idea.text(), false, dots.getOrDefault(idea.id(), 0)));
    }
    ranking.sort(Comparator.comparingInt(Ranked::dots).reversed());
    return ranking;
  }

  /** The timer at {@code now} (same clock as the tablets' records). */
  public Clock clock(long now) {
    if (phase == null) {
      return new Clock(Optional.empty(), false, false, 0);
    }
    Duration planned = script.phase(phase).orElseThrow().duration();
    long elapsed = elapsedBefore + (running ? Math.max(0, now - startedAt) : 0);
    long remaining = planned.toMillis() + extraMillis - elapsed;
    return new Clock(Optional.of(phase), running, finished, remaining);
  }

  public Attendance attendance() {
    return new Attendance(
        attendance,
        Collections.unmodifiableMap(new TreeMap<>(ageBands)),
        Collections.unmodifiableMap(new TreeMap<>(areas)));
  }

  /** Actions that could not apply (an unknown item, dots over a cap): none from a sound tablet. */
  public int ignored() {
    return ignored;
  }
}

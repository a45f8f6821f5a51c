// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.workshop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.ProfileSettings;
import terrain.core.results.Tally;
import terrain.core.text.Messages;
import terrain.core.text.PageLanguage;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopState;

/**
 * The workshop on the event's public results page ({@code src/main/jte/results/workshop.jte}), as
 * plain values not escaped (the template escapes): the groups with their votes, most first, and the
 * ideas of each that staff published (the others counted, never shown); the ideas in no group; the
 * head count at the door by age band and neighbourhood, counts from 1 to 4 hidden. Words from
 * {@code terrain/server/workshop/messages*.properties}, French first.
 *
 * @param summary ideas received and published, groups, votes and voters in one sentence
 */
public record WorkshopSection(
    String heading,
    String summary,
    List<Group> groups,
    String attendanceHeading,
    String attendance,
    List<Count> counts,
    String note) {

  /** A group (or the ideas in none): its title, its votes and its published ideas. */
  public record Group(String title, String votes, List<Idea> ideas, String unpublished) {}

  /** A published idea: its language (for {@code lang}), its text and its table. */
  public record Idea(String language, String text, String table) {}

  /** A line of the head count: an age band or a neighbourhood and how many, or "fewer than 5". */
  public record Count(String label, String count) {}

  static WorkshopSection of(WorkshopApi.Room room, Optional<String> vote, PageLanguage language) {
    Messages m = new Messages("terrain.server.workshop.messages", language.locale());
    String lang = language.tag();
    EventDefinition event = room.event();
    WorkshopState state = room.state();
    Map<ItemRef, Integer> dots = new HashMap<>();
    vote.ifPresent(v -> state.ranking(v).forEach(r -> dots.put(r.id(), r.dots())));
    List<WorkshopState.Group> sorted = new ArrayList<>(state.groups());
    sorted.sort(
        java.util.Comparator.comparingInt(
            (WorkshopState.Group g) -> -dots.getOrDefault(g.id(), 0)));
    List<Group> groups = new ArrayList<>();
    for (WorkshopState.Group group : sorted) {
      int n = dots.getOrDefault(group.id(), 0);
      groups.add(
          group(
              group.title().isBlank() ? m.text("workshop.untitled") : group.title(),
              m.text("workshop.votes", n, m.number(n)),
              group.ideas(),
              room,
              m));
    }
    List<WorkshopState.Idea> ungrouped = state.ungrouped();
    if (!ungrouped.isEmpty()) {
      groups.add(group(m.text("workshop.ungrouped"), "", ungrouped, room, m));
    }
    long published = state.ideas().stream().filter(i -> room.shown(i.id())).count();
    int votes = vote.map(state::totalDots).orElse(0);
    int voters = vote.map(state::voters).orElse(0);
    String summary =
        m.text(
            "workshop.summary",
            state.ideas().size(),
            published,
            state.groups().size(),
            votes,
            voters,
            m.number(state.ideas().size()),
            m.number(published),
            m.number(votes),
            m.number(voters));
    WorkshopState.Attendance attendance = state.attendance();
    List<Count> counts = new ArrayList<>();
    Optional<ProfileSettings> profile = event.profile();
    List<AnswerOption> bands =
        profile.map(ProfileSettings::ageBands).orElse(ProfileSettings.DEFAULT_AGE_BANDS);
    List<AnswerOption> areas = profile.map(ProfileSettings::areas).orElse(List.of());
    counts(counts, attendance.ageBands(), bands, lang, m);
    counts(counts, attendance.areas(), areas, lang, m);
    return new WorkshopSection(
        m.text("workshop.heading", event.workshop().orElseThrow().title().in(lang)),
        summary,
        groups,
        m.text("workshop.attendance.heading"),
        m.text("workshop.attendance", attendance.total(), m.number(attendance.total())),
        counts,
        m.text("workshop.note"));
  }

  private static Group group(
      String title,
      String votes,
      List<WorkshopState.Idea> ideas,
      WorkshopApi.Room room,
      Messages m) {
    List<Idea> shown = new ArrayList<>();
    for (WorkshopState.Idea idea : ideas) {
      if (room.shown(idea.id())) {
        shown.add(new Idea(idea.language(), idea.text(), m.text("workshop.table", idea.table())));
      }
    }
    int hidden = ideas.size() - shown.size();
    return new Group(
        title,
        votes,
        shown,
        hidden == 0 ? null : m.text("workshop.unpublished", hidden, m.number(hidden)));
  }

  private static void counts(
      List<Count> out,
      Map<String, Integer> counted,
      List<AnswerOption> options,
      String lang,
      Messages m) {
    for (Map.Entry<String, Integer> entry : counted.entrySet()) {
      String label =
          options.stream()
              .filter(o -> o.id().equals(entry.getKey()))
              .map(o -> o.label().in(lang))
              .findFirst()
              .orElse(entry.getKey());
      out.add(
          new Count(
              label,
              Tally.hidden(entry.getValue())
                  ? m.text("workshop.fewer")
                  : m.number(entry.getValue())));
    }
  }
}

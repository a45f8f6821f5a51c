// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.workshop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.MessageFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import terrain.core.event.WorkshopPhase;
import terrain.core.event.WorkshopScript;
import terrain.core.results.Tally;
import terrain.core.text.PageLanguage;
import terrain.core.workshop.WorkshopState;
import terrain.http.Json;

/**
 * A workshop room in words, as {@code GET /api/workshop} gives it and the projector page draws it:
 * the phase and its timer, the ideas by group, the vote (its ranking only once revealed) and the
 * head count. Every text is already in the page's language; counts of people from 1 to 4 by age
 * band or neighbourhood are given as null, as on the live results page.
 */
final class WorkshopView {
  private final ResourceBundle bundle;
  private final PageLanguage language;

  WorkshopView(PageLanguage language) {
    this.language = language;
    this.bundle =
        ResourceBundle.getBundle(
            "terrain.hub.workshop.messages",
            language.locale(),
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
  }

  String text(String key, Object... args) {
    return new MessageFormat(bundle.getString(key), language.locale()).format(args);
  }

  /** A language's own name ("العربية"), for the language links. */
  String languageName(String tag) {
    return text("vote.lang." + tag);
  }

  ObjectNode of(LiveWorkshop.Room room, long now) {
    WorkshopScript script = room.script();
    WorkshopState state = room.state();
    String lang = language.tag();
    ObjectNode view = Json.object();
    view.put("eventId", room.event().id());
    view.put("title", script.title().in(lang));
    view.put("version", room.version());
    view.put("lang", lang);
    view.put("dir", language.rightToLeft() ? "rtl" : "ltr");
    WorkshopState.Clock clock = state.clock(now);
    ArrayNode phases = view.putArray("phases");
    for (WorkshopPhase phase : script.phases()) {
      phases
          .addObject()
          .put("id", phase.id())
          .put("kind", phase.kind().word())
          .put("label", text("phase." + phase.kind().word()))
          .put("minutes", phase.duration().toMinutes());
    }
    Optional<WorkshopPhase> current = clock.phaseId().flatMap(script::phase);
    if (current.isEmpty()) {
      view.putNull("phase");
      view.put("status", text("phase.none"));
    } else {
      WorkshopPhase phase = current.get();
      ObjectNode p = view.putObject("phase");
      p.put("id", phase.id());
      p.put("kind", phase.kind().word());
      p.put("label", text("phase." + phase.kind().word()));
      p.put("step", text("step", script.indexOf(phase.id()) + 1, script.phases().size()));
      p.put("prompt", phase.prompt().map(t -> t.in(lang)).orElse(""));
      p.put("running", clock.running());
      p.put("finished", clock.finished());
      p.put("remainingSeconds", Math.floorDiv(clock.remainingMillis(), 1000));
      view.put(
          "status",
          clock.finished()
              ? text("finished")
              : !clock.running()
                  ? text("paused")
                  : clock.remainingMillis() < 0 ? text("overtime") : "");
    }
    List<WorkshopState.Idea> ideas = state.ideas();
    view.put("ideas", ideas.size());
    view.put("ideasText", text("ideas", ideas.size()));
    ArrayNode tables = view.putArray("tables");
    state
        .ideasByTable()
        .forEach(
            (table, n) ->
                tables
                    .addObject()
                    .put("table", table)
                    .put("label", text("table", table))
                    .put("ideas", n)
                    .put("text", text("ideas", n)));
    Optional<WorkshopPhase> vote = votePhase(script, current);
    boolean revealed = vote.map(v -> state.revealed(v.id())).orElse(false);
    Map<terrain.core.workshop.ItemRef, Integer> dots =
        vote.filter(v -> revealed)
            .map(
                v -> {
                  Map<terrain.core.workshop.ItemRef, Integer> byItem = new java.util.HashMap<>();
                  state.ranking(v.id()).forEach(r -> byItem.put(r.id(), r.dots()));
                  return byItem;
                })
            .orElse(Map.of());
    ArrayNode groups = view.putArray("groups");
    for (WorkshopState.Group group : state.groups()) {
      ObjectNode g = groups.addObject();
      g.put("id", group.id().toString());
      g.put("title", group.title());
      ideas(g.putArray("ideas"), group.ideas());
      if (revealed) {
        g.put("votes", dots.getOrDefault(group.id(), 0));
      } else {
        g.putNull("votes");
      }
    }
    ideas(view.putArray("ungrouped"), state.ungrouped());
    view.put("ungroupedText", text("ungrouped"));
    if (vote.isEmpty()) {
      view.putNull("vote");
    } else {
      String id = vote.get().id();
      ObjectNode v = view.putObject("vote");
      v.put("phase", id);
      v.put("revealed", revealed);
      v.put("voters", state.voters(id));
      v.put("votersText", text("voters", state.voters(id)));
      if (revealed) {
        int total = state.totalDots(id);
        v.put("votes", total);
        v.put("votesText", text("votes", total));
        ArrayNode ranking = v.putArray("ranking");
        for (WorkshopState.Ranked item : state.ranking(id)) {
          ranking
              .addObject()
              .put("id", item.id().toString())
              .put("label", item.label())
              .put("group", item.group())
              .put("votes", item.dots())
              .put("text", text("votes", item.dots()));
        }
      } else {
        v.putNull("votes");
        v.put("hiddenText", text("hidden"));
      }
    }
    WorkshopState.Attendance attendance = state.attendance();
    ObjectNode a = view.putObject("attendance");
    a.put("total", attendance.total());
    a.put("text", text("attendance", attendance.total()));
    counts(a.putObject("ageBands"), attendance.ageBands());
    counts(a.putObject("neighbourhoods"), attendance.areas());
    return view;
  }

  /** The vote the room sees: the current phase if it is a vote, else the last one before it. */
  private static Optional<WorkshopPhase> votePhase(
      WorkshopScript script, Optional<WorkshopPhase> current) {
    int upTo = current.map(p -> script.indexOf(p.id())).orElse(-1);
    WorkshopPhase chosen = null;
    for (int i = 0; i < script.phases().size(); i++) {
      WorkshopPhase phase = script.phases().get(i);
      if (phase.kind() == WorkshopPhase.Kind.VOTE && (chosen == null || i <= upTo)) {
        chosen = phase;
      }
    }
    return Optional.ofNullable(chosen);
  }

  private static void ideas(ArrayNode out, List<WorkshopState.Idea> ideas) {
    for (WorkshopState.Idea idea : ideas) {
      out.addObject()
          .put("id", idea.id().toString())
          .put("text", idea.text())
          .put("lang", idea.language())
          .put("table", idea.table());
    }
  }

  private void counts(ObjectNode out, Map<String, Integer> counts) {
    counts.forEach(
        (key, n) -> {
          if (Tally.hidden(n)) {
            out.putNull(key);
          } else {
            out.put(key, n);
          }
        });
  }
}

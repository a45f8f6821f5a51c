// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.workshop;

import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.codec.WireException;
import terrain.core.event.EventDefinition;
import terrain.core.event.WorkshopPhase;
import terrain.core.event.WorkshopScript;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.record.RecordKind;
import terrain.core.results.Tally;
import terrain.core.text.PageLanguage;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopState;
import terrain.http.Json;
import terrain.server.http.EventPageSection;
import terrain.server.http.PageRoutes;
import terrain.server.http.Templates;
import terrain.server.results.EventCatalog;
import terrain.server.store.LazyConnection;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * {@code GET /api/events/{id}/workshop}: the workshop of an event as every tablet's WORKSHOP
 * records received fold it (decision 0031), read on a connection of its own (never the ingest's).
 *
 * <pre>
 * 200 {"eventId","ideas":I,"published":n,"groups":[{"id","title","ideas":[{"id","table","phase",
 *      "text"?,"language"?}],"votes":n}],"ungrouped":[...],"votes":total,"voters":n,
 *      "attendance":{"total","ageBands":{..},"neighbourhoods":{..}}}
 * 404 the event has no workshop in its definition, or is unknown
 * </pre>
 *
 * An idea's text (and language) is given only once staff published it at {@code /admin/moderation}
 * (kind {@code workshop}, {@link WorkshopIdeaHook}); group titles, typed by the facilitator, are
 * given as they are. Counts of people below 5 in an age band or a neighbourhood are null. Other
 * paths are left to the next handler. {@link #section} gives the same workshop to the event's
 * results page.
 */
public final class WorkshopApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkshopApi.class);
  private static final String PREFIX = "/api/events/";
  private static final String SUFFIX = "/workshop";

  private final EventCatalog catalog;
  private final LazyConnection connection;

  public WorkshopApi(Database database, EventCatalog catalog) {
    this.catalog = catalog;
    this.connection = LazyConnection.repeatableReads(database);
  }

  /** GET {@code /api/events/{id}/workshop}. */
  public void routes(PageRoutes.Builder routes) {
    routes.get("^" + PREFIX + ".+" + SUFFIX + "$", this::room);
  }

  private void room(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getDecodedPath();
    String id = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
    Optional<EventDefinition> event = EventId.ifValid(id).flatMap(catalog::definition);
    if (event.isEmpty() || event.get().workshop().isEmpty()) {
      sendError(
          response,
          callback,
          404,
          "event [" + (id.length() > 80 ? id.substring(0, 80) : id) + "] has no workshop here");
      return;
    }
    try {
      sendJson(response, callback, 200, json(read(event.get())));
    } catch (StoreException e) {
      log.warn("HTTP GET {} failed", path, e);
      sendError(response, callback, 503, "the database does not answer; try again shortly");
    }
  }

  @Override
  public void close() {
    connection.close();
  }

  /** An event's workshop as received, and which of its ideas staff published. */
  record Room(EventDefinition event, WorkshopState state, Set<ItemRef> published) {
    boolean shown(ItemRef idea) {
      return published.contains(idea);
    }
  }

  /**
   * The workshop section of the event's results page in {@code language}; empty when the event has
   * no workshop or nothing of it was received.
   */
  public Optional<WorkshopSection> section(String eventId, PageLanguage language)
      throws StoreException {
    Optional<EventDefinition> event = EventId.ifValid(eventId).flatMap(catalog::definition);
    if (event.isEmpty() || event.get().workshop().isEmpty()) {
      return Optional.empty();
    }
    Room room = read(event.get());
    WorkshopState state = room.state();
    if (state.ideas().isEmpty() && state.attendance().total() == 0) {
      return Optional.empty();
    }
    return Optional.of(WorkshopSection.of(room, votePhase(room.event()), language));
  }

  /**
   * The workshop section as a section of the event's results page ({@code results/workshop.jte}).
   */
  public EventPageSection pageSection() {
    return (eventId, language) ->
        section(eventId, language)
            .map(w -> Templates.content("results/workshop.jte", java.util.Map.of("w", w)));
  }

  private synchronized Room read(EventDefinition event) throws StoreException {
    List<WorkshopState.Entry> entries = new ArrayList<>();
    Set<ItemRef> published = new HashSet<>();
    long undecodable = 0;
    try {
      Connection c = connection.get();
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT device_id, seq, device_time, body FROM records"
                  + " WHERE event_id = ? AND kind = ?")) {
        select.setString(1, event.id());
        select.setShort(2, (short) RecordKind.WORKSHOP.code());
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            try {
              entries.add(
                  new WorkshopState.Entry(
                      new ItemRef(DeviceId.of(rs.getString(1)), rs.getLong(2)),
                      rs.getLong(3),
                      WorkshopAction.decode(rs.getBytes(4))));
            } catch (WireException e) {
              undecodable++;
            }
          }
        }
      }
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT w.device_id, w.seq FROM workshop_ideas w JOIN moderation m"
                  + " ON m.kind = 'workshop' AND m.device_id = w.device_id AND m.seq = w.seq"
                  + " AND m.question_id = '' WHERE w.event_id = ? AND m.decision = 'publish'")) {
        select.setString(1, event.id());
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            published.add(new ItemRef(DeviceId.of(rs.getString(1)), rs.getLong(2)));
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      connection.close();
      throw new StoreException("reading the workshop of " + event.id() + ": " + e.getMessage(), e);
    }
    if (undecodable > 0) {
      log.warn("Workshop {}: {} record(s) did not decode", event.id(), undecodable);
    }
    return new Room(event, WorkshopState.fold(event.workshop().orElseThrow(), entries), published);
  }

  /** The vote the results count: the script's last. */
  static Optional<String> votePhase(EventDefinition event) {
    WorkshopScript script = event.workshop().orElseThrow();
    return script.phases().stream()
        .filter(p -> p.kind() == WorkshopPhase.Kind.VOTE)
        .map(WorkshopPhase::id)
        .reduce((first, second) -> second);
  }

  private static ObjectNode json(Room room) {
    EventDefinition event = room.event();
    WorkshopState state = room.state();
    Optional<String> vote = votePhase(event);
    Map<ItemRef, Integer> dots = new java.util.HashMap<>();
    vote.ifPresent(v -> state.ranking(v).forEach(r -> dots.put(r.id(), r.dots())));
    ObjectNode root = Json.object();
    root.put("eventId", event.id());
    root.put("ideas", state.ideas().size());
    root.put("published", state.ideas().stream().filter(i -> room.shown(i.id())).count());
    ArrayNode groups = root.putArray("groups");
    for (WorkshopState.Group group : state.groups()) {
      ObjectNode g = groups.addObject();
      g.put("id", group.id().toString());
      g.put("title", group.title());
      ideas(g.putArray("ideas"), group.ideas(), room);
      g.put("votes", dots.getOrDefault(group.id(), 0));
    }
    ArrayNode ungrouped = root.putArray("ungrouped");
    ideas(ungrouped, state.ungrouped(), room);
    root.put("votes", vote.map(state::totalDots).orElse(0));
    root.put("voters", vote.map(state::voters).orElse(0));
    WorkshopState.Attendance attendance = state.attendance();
    ObjectNode a = root.putObject("attendance");
    a.put("total", attendance.total());
    counts(a.putObject("ageBands"), attendance.ageBands());
    counts(a.putObject("neighbourhoods"), attendance.areas());
    return root;
  }

  private static void ideas(ArrayNode out, List<WorkshopState.Idea> ideas, Room room) {
    for (WorkshopState.Idea idea : ideas) {
      ObjectNode node =
          out.addObject()
              .put("id", idea.id().toString())
              .put("table", idea.table())
              .put("phase", idea.phaseId());
      if (room.shown(idea.id())) {
        node.put("text", idea.text()).put("language", idea.language());
      }
    }
  }

  private static void counts(ObjectNode out, Map<String, Integer> counts) {
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

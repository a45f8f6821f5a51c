// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import terrain.core.codec.WireException;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.Poll;
import terrain.core.event.ProfileSettings;
import terrain.core.event.Question;
import terrain.core.event.QuestionKind;
import terrain.core.id.EventId;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.results.Tally;
import terrain.server.results.EventCatalog;
import terrain.server.store.LazyConnection;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * An event's participations as open data (decision 0036): one row per counted participation, one
 * column per answer, and the dictionary of the columns. Read from the stored RESPONSE records
 * (those kept aside for a revoked device, or whose body does not decode, are not counted in the
 * results and not exported either), on a connection of its own.
 *
 * <p>What is public: no device, no sequence number, no time of day (the day only); rows in the
 * order of their content, not of arrival; free texts only once published; the age band and the
 * neighbourhood blanked where their pair has fewer than {@value Tally#SMALL_CELL} participations
 * ({@code profile_masked} = 1). Staff with the admin token may ask for the full rows ({@code
 * full}): device, sequence, device time, every profile answer (texts still published only).
 */
public final class Exports implements AutoCloseable {
  /** The licence of the exports: Etalab's Licence Ouverte 2.0. */
  public static final String LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)";

  public static final String LICENCE_URL =
      "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf";

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private final EventCatalog catalog;
  private final LazyConnection connection;

  public Exports(Database database, EventCatalog catalog) {
    this.catalog = catalog;
    this.connection = LazyConnection.repeatableReads(database);
  }

  /**
   * A column of the export.
   *
   * @param type {@code id}, {@code date}, {@code code}, {@code codes} (several, space-separated),
   *     {@code ranking} (codes best first, space-separated), {@code integer}, {@code text}, or
   *     {@code datetime}
   * @param codes the codes the column may hold, with their French and English labels
   */
  public record Column(
      String name,
      String question,
      String type,
      Map<String, String> codes,
      Map<String, String> codesEn,
      String description) {}

  /** A pin of a participation on a map question, per mille of the picture. */
  public record Pin(int participation, String questionId, int x, int y, String zone) {}

  /** The export: its columns, its rows (values in column order, "" when empty), its pins. */
  public record Table(
      EventDefinition event, List<Column> columns, List<List<String>> rows, List<Pin> pins) {}

  /** The export of an event the server has a file for; empty when unknown. */
  public synchronized Optional<Table> table(String eventId, boolean full) throws StoreException {
    Optional<EventDefinition> found = EventId.ifValid(eventId).flatMap(catalog::definition);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    EventDefinition event = found.get();
    List<Question> questions = questions(event);
    List<Column> columns = columns(event, questions, full);
    List<Row> rows = new ArrayList<>();
    Set<String> published = new HashSet<>();
    try {
      Connection c = connection.get();
      try (PreparedStatement select =
          c.prepareStatement(
              // The published texts of the event: their records are the event's, whether the
              // text is in free_answers or packed (decision 0048); the texts come from the bodies.
              "SELECT m.device_id, m.seq, m.question_id FROM moderation m JOIN records r"
                  + " ON r.device_id = m.device_id AND r.seq = m.seq WHERE r.event_id = ?"
                  + " AND m.kind = 'text' AND m.decision = 'publish'")) {
        select.setString(1, eventId);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            published.add(rs.getString(1) + '\n' + rs.getLong(2) + '\n' + rs.getString(3));
          }
        }
      }
      try (PreparedStatement select =
          c.prepareStatement(
              "SELECT r.device_id, r.seq, r.device_time, r.body FROM records r WHERE r.event_id = ?"
                  + " AND r.kind = ? AND NOT EXISTS (SELECT 1 FROM set_aside s WHERE s.device_id ="
                  + " r.device_id AND s.seq = r.seq) ORDER BY r.device_id, r.seq")) {
        select.setString(1, eventId);
        select.setShort(2, (short) RecordKind.RESPONSE.code());
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            try {
              rows.add(
                  new Row(
                      rs.getString(1),
                      rs.getLong(2),
                      rs.getLong(3),
                      ResponseBody.decode(rs.getBytes(4))));
            } catch (WireException | RuntimeException e) {
              // Not counted in the results either (TallyHook logged it).
            }
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      connection.close();
      throw StoreException.of("reading the participations of event " + eventId, e);
    }
    return Optional.of(build(event, questions, columns, rows, published, full));
  }

  private record Row(String device, long seq, long deviceTime, ResponseBody body) {}

  private static List<Question> questions(EventDefinition event) {
    List<Question> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Poll poll : event.polls()) {
      for (Question q : poll.questions()) {
        if (seen.add(q.id())) {
          out.add(q);
        }
      }
    }
    return out;
  }

  private static List<Column> columns(
      EventDefinition event, List<Question> questions, boolean full) {
    List<Column> out = new ArrayList<>();
    out.add(
        new Column(
            "participation",
            "",
            "id",
            Map.of(),
            Map.of(),
            "Numéro de la participation dans ce fichier (1 à N, dans l'ordre des réponses, pas de"
                + " l'arrivée). Données de l'événement "
                + event.id()
                + " sous "
                + LICENCE
                + " : "
                + LICENCE_URL));
    if (full) {
      out.add(new Column("device", "", "id", Map.of(), Map.of(), "Borne ou tablette"));
      out.add(new Column("seq", "", "integer", Map.of(), Map.of(), "Numéro de l'enregistrement"));
      out.add(
          new Column("device_time", "", "datetime", Map.of(), Map.of(), "Heure de la borne (UTC)"));
    }
    out.add(
        new Column(
            "date", "", "date", Map.of(), Map.of(), "Jour de la participation (heure de Paris)"));
    for (Question q : questions) {
      Map<String, String> fr = new LinkedHashMap<>();
      Map<String, String> en = new LinkedHashMap<>();
      for (AnswerOption o : q.options()) {
        fr.put(o.id(), o.label().fr());
        en.put(o.id(), o.label().in("en"));
      }
      String type =
          switch (q.kind()) {
            case MULTIPLE -> "codes";
            case RANKING -> "ranking";
            case TEXT -> "text";
            default -> "code";
          };
      String description =
          switch (q.kind()) {
            case MULTIPLE -> "Réponses choisies, codes séparés par une espace";
            case RANKING -> "Options classées, la préférée d'abord, codes séparés par une espace";
            case TEXT -> "Réponse libre, seulement si elle a été publiée après modération";
            case MAP -> "Zone du plan choisie ou touchée";
            default -> "Réponse choisie";
          };
      out.add(new Column(q.id(), q.text().fr(), type, fr, en, description));
      if (q.kind() == QuestionKind.MAP) {
        String picture =
            " sur l'image du plan, en millièmes de sa largeur (x, depuis la gauche) ou de sa"
                + " hauteur (y, depuis le haut) ; le plan n'est pas géoréférencé";
        out.add(
            new Column(
                q.id() + "_x", q.text().fr(), "integer", Map.of(), Map.of(), "Repère" + picture));
        out.add(
            new Column(
                q.id() + "_y", q.text().fr(), "integer", Map.of(), Map.of(), "Repère" + picture));
      }
    }
    Optional<ProfileSettings> profile = event.profile();
    if (profile.isPresent()) {
      out.add(
          profileColumn(
              "age_band",
              profile.get().ageBands(),
              "Tranche d'âge (écran « Qui êtes-vous ? »)"
                  + (full ? "" : "; vide si masquée (profile_masked = 1)")));
      out.add(
          profileColumn(
              "neighbourhood",
              profile.get().areas(),
              "Quartier (écran « Qui êtes-vous ? »)"
                  + (full ? "" : "; vide si masqué (profile_masked = 1)")));
      if (!full) {
        out.add(
            new Column(
                "profile_masked",
                "",
                "code",
                Map.of("0", "non", "1", "oui"),
                Map.of("0", "no", "1", "yes"),
                "1 quand la tranche d'âge et le quartier sont effacés : moins de "
                    + Tally.SMALL_CELL
                    + " participations ont cette combinaison, qui pourrait désigner quelqu'un"));
      }
    }
    return out;
  }

  private static Column profileColumn(String name, List<AnswerOption> options, String what) {
    Map<String, String> fr = new LinkedHashMap<>();
    Map<String, String> en = new LinkedHashMap<>();
    for (AnswerOption o : options) {
      fr.put(o.id(), o.label().fr());
      en.put(o.id(), o.label().in("en"));
    }
    return new Column(name, "", "code", fr, en, what);
  }

  private static Table build(
      EventDefinition event,
      List<Question> questions,
      List<Column> columns,
      List<Row> rows,
      Set<String> published,
      boolean full) {
    boolean profile = event.profile().isPresent();
    List<Map<String, String>> values = new ArrayList<>();
    List<List<Pin>> pins = new ArrayList<>();
    Map<String, Integer> pairs = new HashMap<>();
    for (Row row : rows) {
      Map<String, String> v = new HashMap<>();
      List<Pin> rowPins = new ArrayList<>();
      if (full) {
        v.put("device", row.device());
        v.put("seq", Long.toString(row.seq()));
        v.put("device_time", Instant.ofEpochMilli(row.deviceTime()).toString());
      }
      v.put("date", Instant.ofEpochMilli(row.deviceTime()).atZone(PARIS).toLocalDate().toString());
      for (ResponseBody.Answer answer : row.body().answers()) {
        String q = answer.questionId();
        if (q.equals(ProfileSettings.AGE_ANSWER)) {
          v.put("age_band", first(answer));
          continue;
        }
        if (q.equals(ProfileSettings.AREA_ANSWER)) {
          v.put("neighbourhood", first(answer));
          continue;
        }
        if (ProfileSettings.isReserved(q)) {
          continue;
        }
        v.put(q, String.join(" ", Tally.ranked(answer).keySet()));
        answer
            .pin()
            .ifPresent(
                pin -> {
                  v.put(q + "_x", Integer.toString(pin.x()));
                  v.put(q + "_y", Integer.toString(pin.y()));
                  rowPins.add(new Pin(0, q, pin.x(), pin.y(), first(answer)));
                });
        if (answer.text().isPresent()
            && published.contains(row.device() + '\n' + row.seq() + '\n' + q)) {
          v.put(q, answer.text().get());
        }
      }
      if (profile) {
        pairs.merge(
            v.getOrDefault("age_band", "") + '\n' + v.getOrDefault("neighbourhood", ""),
            1,
            Integer::sum);
      }
      values.add(v);
      pins.add(rowPins);
    }
    if (profile && !full) {
      for (Map<String, String> v : values) {
        String age = v.getOrDefault("age_band", "");
        String area = v.getOrDefault("neighbourhood", "");
        boolean masked =
            !(age.isEmpty() && area.isEmpty()) && pairs.get(age + '\n' + area) < Tally.SMALL_CELL;
        if (masked) {
          v.remove("age_band");
          v.remove("neighbourhood");
        }
        v.put("profile_masked", masked ? "1" : "0");
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      order.add(i);
    }
    if (!full) {
      // In the order of the content, so that the order tells nothing of who came when.
      Comparator<Integer> byContent = Comparator.comparing(i -> line(columns, values.get(i)));
      order.sort(byContent);
    }
    List<List<String>> out = new ArrayList<>();
    List<Pin> allPins = new ArrayList<>();
    int number = 0;
    for (int i : order) {
      number++;
      Map<String, String> v = values.get(i);
      v.put("participation", Integer.toString(number));
      List<String> line = new ArrayList<>();
      for (Column column : columns) {
        line.add(v.getOrDefault(column.name(), ""));
      }
      out.add(line);
      for (Pin pin : pins.get(i)) {
        allPins.add(new Pin(number, pin.questionId(), pin.x(), pin.y(), pin.zone()));
      }
    }
    return new Table(event, columns, out, allPins);
  }

  private static String line(List<Column> columns, Map<String, String> v) {
    StringBuilder b = new StringBuilder();
    for (Column column : columns) {
      b.append(v.getOrDefault(column.name(), "")).append('\u0001');
    }
    return b.toString();
  }

  private static String first(ResponseBody.Answer answer) {
    return answer.optionIds().isEmpty() ? "" : answer.optionIds().get(0);
  }

  @Override
  public synchronized void close() {
    connection.close();
  }
}

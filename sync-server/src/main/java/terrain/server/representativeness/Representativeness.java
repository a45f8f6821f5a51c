// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import terrain.core.event.EventDefinition;
import terrain.core.event.Population;
import terrain.core.event.QuestionKind;
import terrain.core.id.EventId;
import terrain.core.results.Raking;
import terrain.core.results.Representation;
import terrain.core.results.Tally;
import terrain.server.results.EventCatalog;
import terrain.server.store.LazyConnection;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * An event's respondents against its population (the event file's {@code population:}), and its
 * choice questions' results raw and weighted by raking over the age bands and neighbourhoods
 * (decision 0036). Reads the cell counts of {@link ProfileCrossHook} on a connection of its own, in
 * one repeatable-read transaction.
 *
 * <p>The weighting base is the respondents who gave an age band and a neighbourhood of the
 * population (a dimension the population leaves out is not asked for); bands of the population
 * nobody of the base answered cannot be weighted up and are left out of the targets, and said so.
 * Raw and weighted shares are both over that base, so that the difference between them is the
 * weighting alone. A share resting on 1 to 4 respondents is not given; a question nobody of the
 * base answered is left out.
 */
public final class Representativeness implements AutoCloseable {
  /** The one column or row of a dimension the population does not give. */
  static final String ALL = "*";

  private final EventCatalog catalog;
  private final LazyConnection connection;
  private final Raking.Settings settings;

  public Representativeness(Database database, EventCatalog catalog) {
    this(database, catalog, Raking.Settings.results());
  }

  Representativeness(Database database, EventCatalog catalog, Raking.Settings settings) {
    this.catalog = catalog;
    this.connection = LazyConnection.repeatableReads(database);
    this.settings = settings;
  }

  /** A choice question's share of each option: raw and weighted, null where hidden. */
  public record Shares(String questionId, Map<String, Double> raw, Map<String, Double> weighted) {}

  /**
   * The weighting.
   *
   * @param base respondents weighted (gave a band of each dimension the population gives)
   * @param leftOut by dimension, bands of the population nobody of the base gave: not weighted
   */
  public record Weighting(
      long base,
      int cycles,
      boolean converged,
      double largestGap,
      Raking.Settings settings,
      Map<Representation.Dimension, List<String>> leftOut,
      List<Shares> questions) {}

  /** What the page and the API show. */
  public record Report(
      EventDefinition event,
      EventCatalog.Event view,
      Population population,
      Representation representation,
      Optional<Weighting> weighting) {}

  /**
   * The report of an event whose file gives a population; empty when the server does not know the
   * event or its file gives none.
   */
  public synchronized Optional<Report> report(String eventId) throws StoreException {
    Optional<EventId> id = EventId.ifValid(eventId);
    Optional<EventDefinition> definition = id.flatMap(catalog::definition);
    Optional<EventCatalog.Event> view = id.flatMap(catalog::event);
    if (definition.isEmpty() || view.isEmpty() || definition.get().population().isEmpty()) {
      return Optional.empty();
    }
    Population population = definition.get().population().get();
    Counts counts;
    try {
      Connection c = connection.get();
      counts = counts(c, eventId);
      c.commit();
    } catch (SQLException e) {
      connection.close();
      throw StoreException.of("reading the profile cells of event " + eventId, e);
    }
    Map<List<String>, Long> cells = counts.cells();
    Map<List<String>, Map<String, Map<String, Long>>> answers = counts.answers();
    Map<String, Long> ages = new HashMap<>();
    Map<String, Long> areas = new HashMap<>();
    cells.forEach(
        (cell, n) -> {
          if (!cell.get(0).isEmpty()) {
            ages.merge(cell.get(0), n, Long::sum);
          }
          if (!cell.get(1).isEmpty()) {
            areas.merge(cell.get(1), n, Long::sum);
          }
        });
    Representation representation = Representation.of(population, ages, areas);
    return Optional.of(
        new Report(
            definition.get(),
            view.get(),
            population,
            representation,
            weigh(population, view.get(), cells, answers)));
  }

  /** An event's respondents by (age band, neighbourhood) cell, and their answers by cell. */
  record Counts(
      Map<List<String>, Long> cells, Map<List<String>, Map<String, Map<String, Long>>> answers) {}

  /**
   * The profile counts of an event, read in the caller's transaction: the rows of each batch
   * ({@code profile_counts}), summed; those kept before V1036 were folded into them by V1041.
   */
  static Counts counts(Connection c, String eventId) throws SQLException {
    // In (age band, neighbourhood) order, whatever order the database returns rows in.
    Map<List<String>, Long> cells =
        new TreeMap<>(
            Comparator.comparing((List<String> cell) -> cell.get(0))
                .thenComparing(cell -> cell.get(1)));
    Map<List<String>, Map<String, Map<String, Long>>> answers = new HashMap<>();
    // The counts of each batch since V1036 (decision 0044), summed.
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT age_band, area, responses, packed FROM profile_counts WHERE event_id = ?")) {
      select.setString(1, eventId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          List<String> cell = List.of(rs.getString(1), rs.getString(2));
          cells.merge(cell, rs.getLong(3), Long::sum);
          ProfileCounts.unpack(rs.getBytes(4), answers.computeIfAbsent(cell, k -> new HashMap<>()));
        }
      }
    }
    return new Counts(cells, answers);
  }

  private Optional<Weighting> weigh(
      Population population,
      EventCatalog.Event view,
      Map<List<String>, Long> cells,
      Map<List<String>, Map<String, Map<String, Long>>> answers) {
    boolean byAge = !population.ageBands().isEmpty();
    boolean byArea = !population.areas().isEmpty();
    // Each respondent's row and column: their band, or ALL for a dimension not weighted.
    Map<List<String>, long[]> base = new LinkedHashMap<>();
    Map<String, Long> rowCounts = new LinkedHashMap<>();
    Map<String, Long> columnCounts = new LinkedHashMap<>();
    cells.forEach(
        (cell, n) -> {
          String row = byAge ? cell.get(0) : ALL;
          String column = byArea ? cell.get(1) : ALL;
          if ((byAge && !population.ageBands().values().containsKey(row))
              || (byArea && !population.areas().values().containsKey(column))) {
            return;
          }
          rowCounts.merge(row, n, Long::sum);
          columnCounts.merge(column, n, Long::sum);
        });
    List<String> rows = new ArrayList<>();
    List<Double> rowTargets = new ArrayList<>();
    Map<Representation.Dimension, List<String>> leftOut = new LinkedHashMap<>();
    targets(
        byAge,
        population.ageBands(),
        rowCounts,
        rows,
        rowTargets,
        leftOut,
        Representation.Dimension.AGE_BAND);
    List<String> columns = new ArrayList<>();
    List<Double> columnTargets = new ArrayList<>();
    targets(
        byArea,
        population.areas(),
        columnCounts,
        columns,
        columnTargets,
        leftOut,
        Representation.Dimension.NEIGHBOURHOOD);
    if (rows.isEmpty() || columns.isEmpty()) {
      return Optional.empty();
    }
    double[][] counts = new double[rows.size()][columns.size()];
    long total = 0;
    for (Map.Entry<List<String>, Long> entry : cells.entrySet()) {
      int r = rows.indexOf(byAge ? entry.getKey().get(0) : ALL);
      int c = columns.indexOf(byArea ? entry.getKey().get(1) : ALL);
      if (r >= 0 && c >= 0) {
        counts[r][c] += entry.getValue();
        total += entry.getValue();
        base.computeIfAbsent(entry.getKey(), k -> new long[] {r, c});
      }
    }
    Raking.Result result =
        Raking.rake(
            counts,
            rowTargets.stream().mapToDouble(Double::doubleValue).toArray(),
            columnTargets.stream().mapToDouble(Double::doubleValue).toArray(),
            settings);
    double weightedTotal = 0;
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.size(); c++) {
        weightedTotal += counts[r][c] * result.weights()[r][c];
      }
    }
    List<Shares> questions = new ArrayList<>();
    for (EventCatalog.Question question : view.questions()) {
      if (question.kind() == QuestionKind.TEXT) {
        continue;
      }
      Map<String, Double> raw = new LinkedHashMap<>();
      Map<String, Double> weighted = new LinkedHashMap<>();
      long answered = 0;
      for (EventCatalog.Option option : question.options()) {
        long n = 0;
        double w = 0;
        for (Map.Entry<List<String>, long[]> cell : base.entrySet()) {
          long chose =
              answers
                  .getOrDefault(cell.getKey(), Map.of())
                  .getOrDefault(question.id(), Map.of())
                  .getOrDefault(option.id(), 0L);
          n += chose;
          w += chose * result.weights()[(int) cell.getValue()[0]][(int) cell.getValue()[1]];
        }
        answered += n;
        boolean hidden = Tally.hidden(n);
        raw.put(option.id(), hidden || total == 0 ? null : (double) n / total);
        weighted.put(option.id(), hidden || weightedTotal == 0 ? null : w / weightedTotal);
      }
      if (answered > 0) {
        questions.add(new Shares(question.id(), raw, weighted));
      }
    }
    return Optional.of(
        new Weighting(
            total,
            result.cycles(),
            result.converged(),
            result.largestGap(),
            settings,
            leftOut,
            questions));
  }

  private static void targets(
      boolean given,
      Population.Margin margin,
      Map<String, Long> counted,
      List<String> ids,
      List<Double> targets,
      Map<Representation.Dimension, List<String>> leftOut,
      Representation.Dimension dimension) {
    if (!given) {
      if (counted.getOrDefault(ALL, 0L) > 0) {
        ids.add(ALL);
        targets.add(1.0);
      }
      return;
    }
    List<String> absent = new ArrayList<>();
    margin
        .values()
        .forEach(
            (id, value) -> {
              if (counted.getOrDefault(id, 0L) > 0) {
                ids.add(id);
                targets.add(value);
              } else {
                absent.add(id);
              }
            });
    leftOut.put(dimension, absent);
  }

  @Override
  public synchronized void close() {
    connection.close();
  }
}

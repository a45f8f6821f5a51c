// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.reports;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import terrain.core.results.Tally;
import terrain.core.text.Messages;
import terrain.core.text.PageLanguage;
import terrain.server.http.Templates;
import terrain.server.results.EventResults;
import terrain.server.results.MapPictures;

/**
 * The detailed results page of an event ({@code /events/{id}/results}): for each question a chart
 * drawn in SVG on the server (no JavaScript) with its numbers in a table beside it, then who took
 * part by site, device, channel, day and hour. Java prepares the geometry and the formatted words
 * as plain records; the templates of {@code src/main/jte/detail} hold the markup and escape.
 */
public final class ResultsPage {
  /** The bundle of these pages and of the report. */
  static final String BUNDLE = "terrain.server.results.messages";

  /** Width of a bar chart's drawing, in SVG units. */
  static final int WIDTH = 320;

  /** Where bars may reach: the rest holds the value. */
  static final int BAR_AREA = 220;

  /** The same, for the templates. */
  public static final int BAR_AREA_WIDTH = BAR_AREA;

  static final int ROW = 38;

  /** The longest label a chart draws (the table beside it has the whole label). */
  static final int LABEL_CHARACTERS = 44;

  /** The language and words of a page. */
  public record Frame(PageLanguage language, Messages m) {
    public String text(String key, Object... args) {
      return m.text(key, args);
    }

    public String tag() {
      return language.tag();
    }

    public String link(String path) {
      return language.explicit() ? path + "?lang=" + language.tag() : path;
    }
  }

  /**
   * A bar of a chart: its label on a line, the bar under it, an optional 95 % interval whisker
   * ({@code low} to {@code high}, 0 when none), the value at the right.
   */
  public record Bar(
      String label, int labelY, int barY, double width, double low, double high, String value) {
    public boolean whisker() {
      return high > 0;
    }

    public int middle() {
      return barY + 7;
    }
  }

  /** A horizontal bar chart. */
  public record Chart(int width, int height, int valueX, List<Bar> bars) {}

  /** A table: its column heads and rows; the first cell of a row heads it. */
  public record Table(List<String> heads, List<List<String>> rows) {}

  /** A cell of a map's density layer, in the drawing's units, and its opacity. */
  public record Cell(double x, double y, double w, double h, String opacity) {}

  /** A pin in the drawing's units. */
  public record Dot(double x, double y) {}

  /** A map drawn in a viewBox of 1000 by {@code height}, the picture under it when known. */
  public record MapChart(String picture, int height, List<Cell> cells, List<Dot> dots) {}

  /**
   * One figure: a question or a breakdown.
   *
   * @param splits a question's answers by site, channel and device ({@link QuestionSplits})
   */
  public record Figure(
      String id,
      String heading,
      String caption,
      List<String> notes,
      Chart chart,
      MapChart map,
      Table table,
      List<String> texts,
      List<QuestionSplits.Split> splits) {
    public Figure(
        String id,
        String heading,
        String caption,
        List<String> notes,
        Chart chart,
        MapChart map,
        Table table,
        List<String> texts) {
      this(id, heading, caption, notes, chart, map, table, texts, List.of());
    }

    Figure withSplits(List<QuestionSplits.Split> splits) {
      return new Figure(id, heading, caption, notes, chart, map, table, texts, splits);
    }
  }

  /** The page. */
  public record Page(
      String title,
      String heading,
      String back,
      String total,
      List<String> method,
      String pdf,
      String pdfArabic,
      String json,
      List<Figure> questions,
      String participationHeading,
      List<Figure> participation) {}

  private final Frame f;
  private final NumberFormat percent;
  private final NumberFormat decimal;

  public ResultsPage(PageLanguage language) {
    this.f = new Frame(language, new Messages(BUNDLE, language.locale()));
    this.percent = NumberFormat.getPercentInstance(language.locale());
    this.decimal = NumberFormat.getNumberInstance(language.locale());
    decimal.setMaximumFractionDigits(1);
    decimal.setMinimumFractionDigits(1);
  }

  Frame frame() {
    return f;
  }

  /** The page as HTML. */
  public String render(EventResults results, MapPictures.Size size) {
    return Templates.render("detail/event.jte", Map.of("f", f, "page", page(results, size)));
  }

  Page page(EventResults r, MapPictures.Size size) {
    String base = "/events/" + r.event();
    List<String> method = new ArrayList<>();
    method.add(f.text("detail.method.interval", r.method().confidence()));
    method.add(f.text("detail.method.bias"));
    method.add(f.text("detail.method.small", Tally.SMALL_CELL));
    if (!r.method().complete()) {
      method.add(f.text("detail.method.incomplete"));
    }
    List<Figure> questions = new ArrayList<>();
    int number = 0;
    QuestionSplits splits = new QuestionSplits(this);
    for (EventResults.QuestionResult q : r.questions()) {
      questions.add(question(++number, q, size).withSplits(splits.of(r, q)));
    }
    return new Page(
        f.text("detail.title", r.title()),
        r.title(),
        f.link(base),
        f.text("detail.total", f.m().number(r.responses())),
        method,
        base + "/report.pdf" + (f.language().explicit() ? "?lang=" + f.tag() : ""),
        base + "/report.pdf?lang=ar",
        "/api" + base + "/results",
        questions,
        f.text("detail.participation.heading"),
        participation(r.participation()));
  }

  String share(double share) {
    return percent.format(share);
  }

  String interval(double low, double high) {
    return percent.format(low) + " – " + percent.format(high);
  }

  String count(Long n) {
    return n == null ? f.text("detail.less", Tally.SMALL_CELL) : f.m().number(n);
  }

  Figure question(int number, EventResults.QuestionResult q, MapPictures.Size size) {
    String heading = f.text("detail.question", number, q.text());
    String id = "q-" + q.id();
    List<String> notes = new ArrayList<>();
    notes.add(f.text("detail.n", f.m().number(q.answered())));
    if (q.marginOfError() != null) {
      notes.add(f.text("detail.margin", decimal.format(q.marginOfError() * 100)));
    }
    if (q.options() != null) {
      List<Bar> bars = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      for (EventResults.OptionResult o : q.options()) {
        bars.add(bar(bars.size(), o.label(), o.share(), o.low(), o.high(), share(o.share())));
        rows.add(
            List.of(
                o.label(), f.m().number(o.count()), share(o.share()), interval(o.low(), o.high())));
      }
      if (q.mean() != null) {
        notes.add(
            f.text(
                "detail.scale.mean",
                decimal.format(q.mean().mean()),
                decimal.format(q.mean().low()),
                decimal.format(q.mean().high())));
      }
      return new Figure(
          id,
          heading,
          heading,
          notes,
          chart(bars),
          null,
          new Table(
              List.of(
                  f.text("detail.col.option"),
                  f.text("detail.col.count"),
                  f.text("detail.col.share"),
                  f.text("detail.col.interval")),
              rows),
          null);
    }
    if (q.ranking() != null) {
      long top = q.ranking().stream().mapToLong(EventResults.RankedOption::borda).max().orElse(0);
      List<Bar> bars = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      for (EventResults.RankedOption o : q.ranking()) {
        bars.add(
            bar(
                bars.size(),
                o.label(),
                top == 0 ? 0 : (double) o.borda() / top,
                0,
                0,
                f.m().number(o.borda())));
        rows.add(
            List.of(
                o.label(),
                f.m().number(o.borda()),
                f.m().number(o.firsts()),
                f.m().number(o.ranked())));
      }
      notes.add(f.text("detail.ranking.note", maxPoints(q)));
      return new Figure(
          id,
          heading,
          heading,
          notes,
          chart(bars),
          null,
          new Table(
              List.of(
                  f.text("detail.col.option"),
                  f.text("detail.col.borda"),
                  f.text("detail.col.firsts"),
                  f.text("detail.col.ranked")),
              rows),
          null);
    }
    if (q.map() != null) {
      EventResults.MapResult map = q.map();
      notes.add(f.text("detail.map.pins", f.m().number(map.pins().size())));
      if (map.picture() == null) {
        notes.add(f.text("detail.map.noPicture"));
      }
      List<List<String>> rows = new ArrayList<>();
      for (EventResults.OptionResult o : map.zones()) {
        rows.add(List.of(o.label(), f.m().number(o.count()), share(o.share())));
      }
      return new Figure(
          id,
          heading,
          f.text("detail.map.caption"),
          notes,
          null,
          mapChart(map, size),
          new Table(
              List.of(
                  f.text("detail.col.zone"), f.text("detail.col.pins"), f.text("detail.col.share")),
              rows),
          null);
    }
    if (q.texts() != null) {
      List<String> texts = q.texts().texts().stream().map(EventResults.Text::text).toList();
      notes.clear();
      notes.add(
          f.text(
              "detail.texts.counts",
              f.m().number(q.texts().received()),
              f.m().number(q.texts().published())));
      if (texts.isEmpty()) {
        notes.add(f.text("detail.texts.none"));
      }
      return new Figure(id, heading, heading, notes, null, null, null, texts);
    }
    return new Figure(id, heading, heading, notes, null, null, null, null);
  }

  /** The points of a first place: as many as the options ranked at most. */
  static long maxPoints(EventResults.QuestionResult q) {
    long best = 0;
    for (EventResults.RankedOption o : q.ranking()) {
      if (o.ranked() > 0) {
        // borda = ranked * (max + 1) - rankSum; with averageRank = rankSum / ranked
        best = Math.max(best, Math.round(o.borda() / (double) o.ranked() + o.averageRank() - 1));
      }
    }
    return best;
  }

  private Bar bar(int index, String label, double share, double low, double high, String value) {
    int y = index * ROW;
    return new Bar(
        label.length() > LABEL_CHARACTERS
            ? label.substring(0, LABEL_CHARACTERS - 1).strip() + "…"
            : label,
        y + 13,
        y + 19,
        Math.max(0, share) * BAR_AREA,
        low * BAR_AREA,
        high * BAR_AREA,
        value);
  }

  private static Chart chart(List<Bar> bars) {
    return new Chart(WIDTH, Math.max(ROW, bars.size() * ROW), WIDTH - 2, bars);
  }

  private static MapChart mapChart(EventResults.MapResult map, MapPictures.Size size) {
    int height = size == null ? 1000 : (int) Math.round(1000.0 * size.height() / size.width());
    double scaleY = height / 1000.0;
    long max = 0;
    for (List<Long> row : map.grid()) {
      for (long n : row) {
        max = Math.max(max, n);
      }
    }
    List<Cell> cells = new ArrayList<>();
    int rows = map.grid().size();
    for (int r = 0; r < rows; r++) {
      List<Long> row = map.grid().get(r);
      for (int c = 0; c < row.size(); c++) {
        long n = row.get(c);
        if (n == 0) {
          continue;
        }
        double w = 1000.0 / row.size();
        double h = 1000.0 / rows * scaleY;
        String opacity = String.format(java.util.Locale.ROOT, "%.2f", 0.15 + 0.5 * n / max);
        cells.add(new Cell(c * w, r * h, w, h, opacity));
      }
    }
    List<Dot> dots = new ArrayList<>();
    for (EventResults.Pin p : map.pins()) {
      dots.add(new Dot(p.x(), p.y() * scaleY));
    }
    return new MapChart(map.picture(), height, cells, dots);
  }

  private List<Figure> participation(EventResults.Participation p) {
    List<Figure> out = new ArrayList<>();
    out.add(groups("by-site", f.text("detail.by.site"), p.bySite(), true));
    out.add(groups("by-channel", f.text("detail.by.channel"), p.byChannel(), true));
    out.add(groups("by-day", f.text("detail.by.day"), p.byDay(), false));
    out.add(groups("by-hour", f.text("detail.by.hour"), p.byHour(), false));
    out.add(groups("by-device", f.text("detail.by.device"), p.byDevice(), true));
    return out;
  }

  /** The label a reader sees for a group of a breakdown. */
  String groupLabel(String figure, EventResults.Group g) {
    if (figure.equals("by-channel")) {
      return f.text("detail.channel." + g.id());
    }
    if (figure.equals("by-site") && g.id().equals(EventResults.DIRECT)) {
      return f.text("detail.site.direct");
    }
    if (figure.equals("by-hour")) {
      // 2026-11-28T09:00 -> 28/11 9 h – 10 h
      java.time.LocalDateTime t = java.time.LocalDateTime.parse(g.id());
      return java.time.format.DateTimeFormatter.ofPattern("d/MM HH:mm", f.language().locale())
              .format(t)
          + " – "
          + java.time.format.DateTimeFormatter.ofPattern("HH:mm").format(t.plusHours(1));
    }
    if (figure.equals("by-device") && g.channel() != null) {
      return g.label() + " (" + f.text("detail.channel." + g.channel()) + ")";
    }
    return g.label();
  }

  private Figure groups(
      String id, String heading, List<EventResults.Group> groups, boolean withIdeas) {
    long top = 0;
    for (EventResults.Group g : groups) {
      top = Math.max(top, g.responses() == null ? 0 : g.responses());
    }
    List<Bar> bars = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (EventResults.Group g : groups) {
      long n = g.responses() == null ? 0 : g.responses();
      String label = groupLabel(id, g);
      bars.add(
          bar(bars.size(), label, top == 0 ? 0 : (double) n / top, 0, 0, count(g.responses())));
      List<String> row = new ArrayList<>();
      row.add(label);
      row.add(count(g.responses()));
      if (withIdeas) {
        row.add(count(g.ideas()));
        row.add(count(g.attendance()));
      }
      rows.add(row);
    }
    List<String> heads = new ArrayList<>();
    heads.add(f.text("detail.col.group"));
    heads.add(f.text("detail.col.responses"));
    if (withIdeas) {
      heads.add(f.text("detail.col.ideas"));
      heads.add(f.text("detail.col.attendance"));
    }
    return new Figure(
        id, heading, heading, List.of(), chart(bars), null, new Table(heads, rows), null);
  }
}

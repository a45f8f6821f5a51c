// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import terrain.core.results.Tally;
import terrain.server.results.EventResults;

/**
 * A question's answers split by site, by channel (kiosk, tablet) and by device, as the page and the
 * report show them: for each group its n and each option's count and share, the counts under
 * {@value Tally#SMALL_CELL} hidden ("fewer than 5") as in {@link EventResults}. A split with a
 * single group is one sentence, not a chart. The page draws a stacked bar per group when each
 * person picks one option (shares add up to 100 %), grouped bars otherwise (several answers, a
 * ranking); the table has the same figures, options in rows and groups in columns (narrow on a
 * phone: there are seldom more than a few sites).
 */
public final class QuestionSplits {
  /** Width of a split's drawing, in SVG units. */
  static final int WIDTH = 320;

  /** Colours of the options, in order; dark enough against white, told apart by most eyes. */
  static final List<String> COLOURS =
      List.of(
          "#2f6fb0", "#e07b00", "#2e8540", "#8e44ad", "#b03a2e", "#127a7a", "#7a6a00", "#555555",
          "#c2185b", "#5d4037");

  /** The colour of what is hidden or not counted: the bar's track. */
  static final String TRACK = "#e6e6e6";

  /** The dimensions, in the order they are shown; the last one folded away on the page. */
  static final List<String> DIMENSIONS = List.of("site", "channel", "device");

  /** A rectangle of a drawing. */
  public record Rect(double x, double y, double w, double h, String fill) {
    public String xs() {
      return fmt(x);
    }

    public String ys() {
      return fmt(y);
    }

    public String ws() {
      return fmt(w);
    }

    public String hs() {
      return fmt(h);
    }
  }

  /** A line of text of a drawing. */
  public record Label(double x, double y, String text) {
    public String xs() {
      return fmt(x);
    }

    public String ys() {
      return fmt(y);
    }
  }

  /** An option's colour in the legend. */
  public record Key(String colour, String label) {}

  /** A drawing: its height in a viewBox {@value #WIDTH} wide, rectangles and labels. */
  public record Drawing(int width, int height, List<Rect> rects, List<Label> labels) {}

  /**
   * One split of a question.
   *
   * @param id the element id, unique on the page
   * @param dimension site, channel or device
   * @param heading "By site"
   * @param single when only one group answered: the sentence saying so, and nothing else
   * @param drawing the bars, null when single
   * @param legend the options' colours
   * @param note a note under the drawing (several answers possible), null when none
   * @param caption the table's caption
   * @param table options in rows (the first row is n), groups in columns
   */
  public record Split(
      String id,
      String dimension,
      String heading,
      String single,
      Drawing drawing,
      String legendLabel,
      List<Key> legend,
      String note,
      String caption,
      ResultsPage.Table table) {
    public boolean folded() {
      return dimension.equals("device");
    }
  }

  /** A group of a split: its label, n (null when hidden) and counts per option id. */
  record Group(String id, String label, Long n, Map<String, Long> counts) {}

  private final ResultsPage words;
  private final ResultsPage.Frame f;

  QuestionSplits(ResultsPage words) {
    this.words = words;
    this.f = words.frame();
  }

  /** The option ids and labels of a question that has splits, in the question's order. */
  static List<String[]> options(EventResults.QuestionResult q) {
    List<String[]> out = new ArrayList<>();
    if (q.options() != null) {
      q.options().forEach(o -> out.add(new String[] {o.id(), o.label()}));
    } else if (q.ranking() != null) {
      q.ranking().forEach(o -> out.add(new String[] {o.id(), o.label()}));
    }
    return out;
  }

  /** Whether each person picks one option: the shares of a group add up to 100 %. */
  static boolean exclusive(EventResults.QuestionResult q) {
    return q.kind().equals("single") || q.kind().equals("yesno") || q.kind().equals("scale");
  }

  /** The groups of a question in one dimension, in the participation's order. */
  List<Group> groups(EventResults r, EventResults.QuestionResult q, String dimension) {
    Map<String, Map<String, Long>> counts;
    Map<String, Long> answered;
    List<EventResults.Group> known;
    String figure;
    switch (dimension) {
      case "site" -> {
        counts = q.bySite();
        answered = q.answeredBySite();
        known = r.participation().bySite();
        figure = "by-site";
      }
      case "channel" -> {
        counts = q.byChannel();
        answered = q.answeredByChannel();
        known = r.participation().byChannel();
        figure = "by-channel";
      }
      default -> {
        counts = q.byDevice();
        answered = q.answeredByDevice();
        known = r.participation().byDevice();
        figure = "by-device";
      }
    }
    List<Group> out = new ArrayList<>();
    if (counts == null || answered == null) {
      return out;
    }
    List<String> ids = new ArrayList<>();
    known.forEach(g -> ids.add(g.id()));
    answered.keySet().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
    for (String id : ids) {
      if (!answered.containsKey(id)) {
        continue;
      }
      String label = id;
      for (EventResults.Group g : known) {
        if (g.id().equals(id)) {
          label = words.groupLabel(figure, g);
        }
      }
      if (dimension.equals("channel") && label.equals(id)) {
        label = f.text("detail.channel." + id);
      }
      out.add(new Group(id, label, answered.get(id), counts.getOrDefault(id, Map.of())));
    }
    return out;
  }

  /** The splits of a question, empty for those without (maps, free texts). */
  List<Split> of(EventResults r, EventResults.QuestionResult q) {
    List<Split> out = new ArrayList<>();
    List<String[]> options = options(q);
    if (options.isEmpty() || q.byChannel() == null) {
      return out;
    }
    for (String dimension : DIMENSIONS) {
      List<Group> groups = groups(r, q, dimension);
      if (groups.isEmpty()) {
        continue;
      }
      String id = "q-" + q.id() + "-by-" + dimension;
      String heading = f.text("detail.split." + dimension);
      if (groups.size() == 1) {
        out.add(
            new Split(
                id,
                dimension,
                heading,
                f.text("detail.split.one." + dimension, groups.get(0).label()),
                null,
                null,
                List.of(),
                null,
                null,
                null));
        continue;
      }
      List<Key> legend = new ArrayList<>();
      for (int i = 0; i < options.size(); i++) {
        legend.add(new Key(colour(i), options.get(i)[1]));
      }
      boolean anyHidden = false;
      for (Group g : groups) {
        anyHidden |= g.n() == null || g.counts().containsValue(null);
      }
      if (anyHidden) {
        legend.add(new Key(TRACK, f.text("detail.split.hidden", Tally.SMALL_CELL)));
      }
      String note =
          exclusive(q)
              ? null
              : f.text(q.ranking() != null ? "detail.split.ranked" : "detail.split.several");
      out.add(
          new Split(
              id,
              dimension,
              heading,
              null,
              exclusive(q) ? stacked(groups, options) : grouped(groups, options),
              f.text("detail.split.legend"),
              legend,
              note,
              f.text("detail.split.caption", heading, q.text()),
              table(groups, options)));
    }
    return out;
  }

  /** The figures: n, then each option's count and share, or "fewer than 5". */
  ResultsPage.Table table(List<Group> groups, List<String[]> options) {
    List<String> heads = new ArrayList<>();
    heads.add(f.text("detail.col.option"));
    groups.forEach(g -> heads.add(g.label()));
    List<List<String>> rows = new ArrayList<>();
    List<String> n = new ArrayList<>();
    n.add(f.text("detail.split.n"));
    groups.forEach(g -> n.add(words.count(g.n())));
    rows.add(n);
    for (String[] option : options) {
      List<String> row = new ArrayList<>();
      row.add(option[1]);
      for (Group g : groups) {
        row.add(cell(g, option[0]));
      }
      rows.add(row);
    }
    return new ResultsPage.Table(heads, rows);
  }

  /** "6 (50 %)", "0", or "fewer than 5". */
  String cell(Group g, String option) {
    if (!g.counts().containsKey(option)) {
      return g.n() == null ? words.count(null) : f.m().number(0);
    }
    Long count = g.counts().get(option);
    if (count == null) {
      return words.count(null);
    }
    if (g.n() == null || g.n() == 0) {
      return f.m().number(count);
    }
    return f.text("detail.split.cell", f.m().number(count), words.share((double) count / g.n()));
  }

  private static final int LABEL = 16;
  private static final int STACK = 16;
  private static final int GAP = 12;

  /** One bar per group, an option's share a segment; what is hidden stays the track's grey. */
  private Drawing stacked(List<Group> groups, List<String[]> options) {
    List<Rect> rects = new ArrayList<>();
    List<Label> labels = new ArrayList<>();
    double y = 0;
    for (Group g : groups) {
      labels.add(new Label(0, y + 12, groupLine(g)));
      double barY = y + LABEL;
      rects.add(new Rect(0, barY, WIDTH, STACK, TRACK));
      if (g.n() != null && g.n() > 0) {
        double x = 0;
        for (int i = 0; i < options.size(); i++) {
          Long count = g.counts().get(options.get(i)[0]);
          if (count == null || count == 0) {
            continue;
          }
          double w = WIDTH * (double) count / g.n();
          rects.add(new Rect(x, barY, Math.min(w, WIDTH - x), STACK, colour(i)));
          x += w;
        }
      }
      y = barY + STACK + GAP;
    }
    return new Drawing(WIDTH, (int) Math.ceil(y - GAP + 2), rects, labels);
  }

  private static final int THIN = 8;

  /** Per group, one thin bar per option (several answers: the shares add up to more than 1). */
  private Drawing grouped(List<Group> groups, List<String[]> options) {
    List<Rect> rects = new ArrayList<>();
    List<Label> labels = new ArrayList<>();
    double y = 0;
    for (Group g : groups) {
      labels.add(new Label(0, y + 12, groupLine(g)));
      double barY = y + LABEL;
      for (int i = 0; i < options.size(); i++) {
        rects.add(new Rect(0, barY, WIDTH, THIN, TRACK));
        Long count = g.counts().get(options.get(i)[0]);
        if (g.n() != null && g.n() > 0 && count != null && count > 0) {
          rects.add(
              new Rect(0, barY, WIDTH * Math.min(1.0, (double) count / g.n()), THIN, colour(i)));
        }
        barY += THIN + 2;
      }
      y = barY + GAP;
    }
    return new Drawing(WIDTH, (int) Math.ceil(y - GAP + 2), rects, labels);
  }

  /** "Place du marché · n = 15". */
  private String groupLine(Group g) {
    String label = g.label();
    if (label.length() > ResultsPage.LABEL_CHARACTERS - 14) {
      label = label.substring(0, ResultsPage.LABEL_CHARACTERS - 15).strip() + "…";
    }
    return label + " · " + f.text("detail.n", words.count(g.n()));
  }

  static String colour(int index) {
    return COLOURS.get(index % COLOURS.size());
  }

  static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }
}

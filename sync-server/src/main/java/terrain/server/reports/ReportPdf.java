// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDMarkInfo;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;
import terrain.core.event.EventDefinition;
import terrain.server.ideas.Ideas;
import terrain.server.results.EventCatalog;
import terrain.server.results.EventResults;
import terrain.server.results.ReportSection;

/**
 * The printable report of an event (A4, PDFBox): the event, the method (dates, sites, channels, how
 * the margins are computed), participation by site and by hour, one chart per question with its
 * numbers, the published ideas by theme, and the place of the representativeness section. The
 * figures are those of {@link EventResults}, the same as the JSON and the page.
 *
 * <p>It speaks French, English or Arabic ({@code ?lang=ar}). Its text goes through {@link
 * ReportText}: embedded Noto fonts, Arabic shaped and ordered right to left, and on an Arabic page
 * the whole layout mirrored (decision 0042).
 */
final class ReportPdf {
  private static final float MARGIN = 50;
  private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
  private static final float BAR_AREA = 190;
  private static final float LABEL_WIDTH = 150;

  private final ResultsPage words;
  private final ResultsPage.Frame f;
  private final Clock clock;
  private ReportText type;
  private ReportText.Face regular;
  private ReportText.Face bold;

  private PDDocument document;
  private PDPageContentStream out;
  private float y;

  ReportPdf(ResultsPage words, Clock clock) {
    this.words = words;
    this.f = words.frame();
    this.clock = clock;
  }

  byte[] write(
      EventResults results,
      Optional<ReportSection> representativeness,
      Optional<EventDefinition> definition,
      List<Ideas.Idea> ideas,
      List<EventCatalog.Option> themes,
      Function<String, Optional<Path>> picture)
      throws IOException {
    try (PDDocument doc = new PDDocument()) {
      this.document = doc;
      this.type = new ReportText(doc, f.language().rightToLeft());
      this.regular = type.regular;
      this.bold = type.bold;
      doc.getDocumentInformation().setTitle(f.text("report.title") + " — " + results.title());
      doc.getDocumentInformation().setCreator("Terrain");
      doc.getDocumentCatalog().setLanguage(f.tag());
      PDMarkInfo mark = new PDMarkInfo();
      doc.getDocumentCatalog().setMarkInfo(mark);
      newPage();
      title(results, definition);
      method(results);
      representativeness(representativeness);
      participation(results.participation());
      need(140); // the heading with its first question, never alone at a page's foot
      heading(f.text("report.questions"), 15);
      int number = 0;
      for (EventResults.QuestionResult q : results.questions()) {
        question(++number, q, picture);
        splits(results, q);
      }
      ideas(ideas, themes);
      out.close();
      footers();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      doc.save(bytes);
      return bytes.toByteArray();
    }
  }

  private void title(EventResults r, Optional<EventDefinition> definition) throws IOException {
    line(f.text("report.title"), regular, 11, 0.35f);
    paragraph(r.title(), bold, 20);
    y -= 4;
    line(f.text("detail.total", f.m().number(r.responses())), bold, 13, 0);
    definition.ifPresent(
        d -> {
          try {
            line(f.text("report.place", d.place()), regular, 11, 0);
            line(f.text("report.date", date(d.date())), regular, 11, 0);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    if (r.method().firstDay() != null) {
      line(
          f.text(
              "report.days",
              date(LocalDate.parse(r.method().firstDay())),
              date(LocalDate.parse(r.method().lastDay()))),
          regular,
          11,
          0);
    }
    List<String> sites = new ArrayList<>();
    for (EventResults.Group g : r.participation().bySite()) {
      sites.add(words.groupLabel("by-site", g));
    }
    List<String> channels = new ArrayList<>();
    for (EventResults.Group g : r.participation().byChannel()) {
      channels.add(words.groupLabel("by-channel", g));
    }
    if (!sites.isEmpty()) {
      paragraph(f.text("report.sites", String.join(", ", sites)), regular, 11);
    }
    if (!channels.isEmpty()) {
      paragraph(f.text("report.channels", String.join(", ", channels)), regular, 11);
    }
    line(
        f.text("report.generated", date(LocalDate.now(clock.withZone(EventResults.ZONE)))),
        regular,
        9,
        0.4f);
  }

  private String date(LocalDate date) {
    return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG)
        .withLocale(f.language().locale())
        .format(date);
  }

  private void method(EventResults r) throws IOException {
    heading(f.text("report.method"), 15);
    paragraph(f.text("detail.method.interval", r.method().confidence()), regular, 10);
    paragraph(f.text("detail.method.bias"), regular, 10);
    paragraph(f.text("detail.method.small", terrain.core.results.Tally.SMALL_CELL), regular, 10);
    if (!r.method().complete()) {
      paragraph(f.text("detail.method.incomplete"), regular, 10);
    }
  }

  /**
   * The representativeness section: respondents against the population per age band and
   * neighbourhood with the ratio, who is missing, and each choice question raw and weighted, as the
   * representativeness package words it (the page's section, decision 0036). Without a population
   * in the event file, it says what it would hold.
   */
  private void representativeness(Optional<ReportSection> section) throws IOException {
    heading(f.text("report.representativeness"), 15);
    if (section.isEmpty()) {
      paragraph(f.text("report.representativeness.pending"), regular, 10);
      return;
    }
    for (ReportSection.Block block : section.get().blocks()) {
      if (block instanceof ReportSection.Paragraph p) {
        if (p.muted()) {
          for (String part : wrap(p.text(), regular, 9, WIDTH)) {
            line(part, regular, 9, 0.35f);
          }
          y -= 3;
        } else {
          paragraph(p.text(), regular, 10);
        }
      } else if (block instanceof ReportSection.Subheading h) {
        heading(h.text(), 11);
      } else if (block instanceof ReportSection.Warnings w) {
        for (String text : w.lines()) {
          warning(text);
        }
        y -= 4;
      } else if (block instanceof ReportSection.Table t) {
        table(t);
      }
    }
  }

  /** A line that wants attention: an orange mark at its left, as on the page. */
  private void warning(String text) throws IOException {
    List<String> parts = wrap(text, regular, 10, WIDTH - 10);
    float height = parts.size() * 14.5f + 4;
    need(height);
    out.setNonStrokingColor(1f, 0.953f, 0.878f);
    type.rect(out, MARGIN, y - height + 2, WIDTH, height);
    out.fill();
    out.setNonStrokingColor(0.878f, 0.482f, 0f);
    type.rect(out, MARGIN, y - height + 2, 3, height);
    out.fill();
    y -= 2;
    for (String part : parts) {
      text(part, regular, 10, MARGIN + 10, y - 10, 0);
      y -= 14.5f;
    }
    y -= 4;
  }

  /** A table of words: the first column on the left, the figures right-aligned in the others. */
  private void table(ReportSection.Table t) throws IOException {
    int columns = t.heads().size();
    float first = columns <= 3 ? WIDTH * 0.5f : WIDTH * 0.34f;
    float other = columns <= 1 ? 0 : (WIDTH - first) / (columns - 1);
    need(46);
    paragraph(t.caption(), bold, 10);
    List<List<String>> heads = new ArrayList<>();
    int headLines = 1;
    for (int c = 0; c < columns; c++) {
      List<String> parts = wrap(t.heads().get(c), regular, 8, (c == 0 ? first : other) - 6);
      heads.add(parts);
      headLines = Math.max(headLines, parts.size());
    }
    need(headLines * 10 + 16);
    for (int c = 0; c < columns; c++) {
      float lineY = y - 8;
      for (String part : heads.get(c)) {
        cell(part, regular, 8, c, first, other, lineY, 0.3f);
        lineY -= 10;
      }
    }
    y -= headLines * 10 + 2;
    rule(0.6f);
    for (ReportSection.Row row : t.rows()) {
      List<String> label = wrap(row.cells().get(0), regular, 9, first - 6);
      float height = Math.max(14, label.size() * 11 + 3);
      need(height);
      if (row.marked()) {
        out.setNonStrokingColor(1f, 0.953f, 0.878f);
        type.rect(out, MARGIN, y - height + 1, WIDTH, height - 1);
        out.fill();
      }
      float lineY = y - 10;
      for (String part : label) {
        text(part, regular, 9, MARGIN, lineY, 0);
        lineY -= 11;
      }
      for (int c = 1; c < columns; c++) {
        cell(row.cells().get(c), regular, 9, c, first, other, y - 10, 0);
      }
      y -= height;
      rule(0.85f);
    }
    y -= 8;
  }

  /** A cell of a figure column, right-aligned, or of the first column, left-aligned. */
  private void cell(
      String text,
      ReportText.Face font,
      float size,
      int column,
      float first,
      float other,
      float at,
      float grey)
      throws IOException {
    if (column == 0) {
      text(text, font, size, MARGIN, at, grey);
      return;
    }
    float right = MARGIN + first + other * column - 4;
    float width = type.width(text, font, size);
    text(text, font, size, right - width, at, grey);
  }

  private void rule(float grey) throws IOException {
    out.setStrokingColor(grey);
    out.setLineWidth(0.5f);
    out.moveTo(MARGIN, y);
    out.lineTo(MARGIN + WIDTH, y);
    out.stroke();
  }

  private void participation(EventResults.Participation p) throws IOException {
    heading(f.text("report.participation"), 15);
    groups(f.text("detail.by.site"), "by-site", p.bySite());
    groups(f.text("detail.by.channel"), "by-channel", p.byChannel());
    groups(f.text("detail.by.hour"), "by-hour", p.byHour());
  }

  private void groups(String title, String figure, List<EventResults.Group> groups)
      throws IOException {
    long top = 0;
    for (EventResults.Group g : groups) {
      top = Math.max(top, g.responses() == null ? 0 : g.responses());
    }
    List<Row> rows = new ArrayList<>();
    for (EventResults.Group g : groups) {
      long n = g.responses() == null ? 0 : g.responses();
      rows.add(
          new Row(
              words.groupLabel(figure, g),
              top == 0 ? 0 : (double) n / top,
              0,
              0,
              words.count(g.responses())));
    }
    heading(title, 11);
    chart(rows, f.text("detail.col.responses"));
  }

  /** A bar row: label, bar (0 to 1), optional interval, the numbers printed beside it. */
  private record Row(String label, double bar, double low, double high, String numbers) {}

  private void question(
      int number, EventResults.QuestionResult q, Function<String, Optional<Path>> picture)
      throws IOException {
    need(90);
    heading(f.text("detail.question", number, q.text()), 12);
    List<String> notes = new ArrayList<>();
    notes.add(f.text("detail.n", f.m().number(q.answered())));
    if (q.marginOfError() != null) {
      notes.add(
          f.text(
              "detail.margin",
              String.format(f.language().locale(), "%.1f", q.marginOfError() * 100)));
    }
    if (q.options() != null) {
      if (q.mean() != null) {
        notes.add(
            f.text(
                "detail.scale.mean",
                String.format(f.language().locale(), "%.1f", q.mean().mean()),
                String.format(f.language().locale(), "%.1f", q.mean().low()),
                String.format(f.language().locale(), "%.1f", q.mean().high())));
      }
      paragraph(String.join(" · ", notes), regular, 9);
      List<Row> rows = new ArrayList<>();
      for (EventResults.OptionResult o : q.options()) {
        rows.add(
            new Row(
                o.label(),
                o.share(),
                o.low(),
                o.high(),
                f.m().number(o.count())
                    + "   "
                    + words.share(o.share())
                    + "   ["
                    + words.interval(o.low(), o.high())
                    + "]"));
      }
      chart(
          rows,
          f.text("detail.col.count")
              + "   "
              + f.text("detail.col.share")
              + "   ["
              + f.text("detail.col.interval")
              + "]");
    } else if (q.ranking() != null) {
      notes.add(f.text("detail.ranking.note", ResultsPage.maxPoints(q)));
      paragraph(String.join(" · ", notes), regular, 9);
      long top = q.ranking().stream().mapToLong(EventResults.RankedOption::borda).max().orElse(0);
      List<Row> rows = new ArrayList<>();
      for (EventResults.RankedOption o : q.ranking()) {
        rows.add(
            new Row(
                o.label(),
                top == 0 ? 0 : (double) o.borda() / top,
                0,
                0,
                f.m().number(o.borda())
                    + "   "
                    + f.m().number(o.firsts())
                    + "   "
                    + f.m().number(o.ranked())));
      }
      chart(
          rows,
          f.text("detail.col.borda")
              + "   "
              + f.text("detail.col.firsts")
              + "   "
              + f.text("detail.col.ranked"));
    } else if (q.map() != null) {
      notes.add(f.text("detail.map.pins", f.m().number(q.map().pins().size())));
      paragraph(String.join(" · ", notes), regular, 9);
      map(q, picture.apply(q.id()));
      List<Row> rows = new ArrayList<>();
      for (EventResults.OptionResult o : q.map().zones()) {
        rows.add(
            new Row(
                o.label(),
                o.share(),
                0,
                0,
                f.m().number(o.count()) + "   " + words.share(o.share())));
      }
      chart(rows, f.text("detail.col.pins") + "   " + f.text("detail.col.share"));
    } else if (q.texts() != null) {
      paragraph(
          f.text(
              "detail.texts.counts",
              f.m().number(q.texts().received()),
              f.m().number(q.texts().published())),
          regular,
          9);
      for (EventResults.Text t : q.texts().texts()) {
        paragraph("« " + t.text() + " »", regular, 10);
      }
    }
    y -= 8;
  }

  /** The most groups a split's table prints side by side; more go to the next table. */
  private static final int SPLIT_COLUMNS = 4;

  /**
   * A question's answers by site, channel and device ({@link QuestionSplits}): a table per split,
   * options in rows and groups in columns, as on the page; one line when a single group answered.
   */
  private void splits(EventResults r, EventResults.QuestionResult q) throws IOException {
    List<QuestionSplits.Split> splits = new QuestionSplits(words).of(r, q);
    if (splits.isEmpty()) {
      return;
    }
    y += 4;
    for (QuestionSplits.Split split : splits) {
      if (split.single() != null) {
        for (String part : wrap(split.single(), regular, 9, WIDTH)) {
          line(part, regular, 9, 0.35f);
        }
        y -= 3;
        continue;
      }
      ResultsPage.Table t = split.table();
      int groups = t.heads().size() - 1;
      for (int from = 1; from <= groups; from += SPLIT_COLUMNS) {
        int to = Math.min(groups, from + SPLIT_COLUMNS - 1);
        List<String> heads = new ArrayList<>();
        heads.add(t.heads().get(0));
        heads.addAll(t.heads().subList(from, to + 1));
        List<ReportSection.Row> rows = new ArrayList<>();
        for (List<String> row : t.rows()) {
          List<String> cells = new ArrayList<>();
          cells.add(row.get(0));
          cells.addAll(row.subList(from, to + 1));
          rows.add(new ReportSection.Row(cells, false));
        }
        // the table's head and the n row with the first options, never alone at a page's foot
        need(80);
        table(new ReportSection.Table(split.heading(), heads, rows));
      }
      if (split.note() != null) {
        for (String part : wrap(split.note(), regular, 8, WIDTH)) {
          line(part, regular, 8, 0.35f);
        }
        y -= 4;
      }
    }
    y -= 6;
  }

  private void map(EventResults.QuestionResult q, Optional<Path> file) throws IOException {
    float w = 300;
    float h = w;
    PDImageXObject image = null;
    if (file.isPresent()) {
      image = PDImageXObject.createFromFileByContent(file.get().toFile(), document);
      h = w * image.getHeight() / image.getWidth();
    }
    need(h + 10);
    float left = type.left(MARGIN, w); // the picture is never mirrored, only moved
    float top = y;
    if (image != null) {
      out.drawImage(image, left, top - h, w, h);
    } else {
      out.setStrokingColor(0.6f);
      out.addRect(left, top - h, w, h);
      out.stroke();
    }
    List<List<Long>> grid = q.map().grid();
    long max = 1;
    for (List<Long> row : grid) {
      for (long n : row) {
        max = Math.max(max, n);
      }
    }
    int rows = grid.size();
    for (int r = 0; r < rows; r++) {
      List<Long> row = grid.get(r);
      for (int c = 0; c < row.size(); c++) {
        long n = row.get(c);
        if (n == 0) {
          continue;
        }
        PDExtendedGraphicsState alpha = new PDExtendedGraphicsState();
        alpha.setNonStrokingAlphaConstant((float) (0.15 + 0.5 * n / max));
        out.saveGraphicsState();
        out.setGraphicsStateParameters(alpha);
        out.setNonStrokingColor(0.84f, 0.19f, 0.12f);
        float cw = w / row.size();
        float ch = h / rows;
        out.addRect(left + c * cw, top - (r + 1) * ch, cw, ch);
        out.fill();
        out.restoreGraphicsState();
      }
    }
    out.setNonStrokingColor(0.07f);
    out.setStrokingColor(1f);
    out.setLineWidth(0.8f);
    for (EventResults.Pin p : q.map().pins()) {
      float px = left + w * p.x() / 1000f;
      float py = top - h * p.y() / 1000f;
      out.addRect(px - 2.5f, py - 2.5f, 5, 5);
    }
    out.fillAndStroke();
    y = top - h - 10;
  }

  /** Bars with their numbers: the label on the left, the bar, the figures on the right. */
  private void chart(List<Row> rows, String heads) throws IOException {
    float numbersX = MARGIN + LABEL_WIDTH + BAR_AREA + 10;
    need(14);
    text(heads, bold, 8, numbersX, y - 8, 0.3f);
    y -= 12;
    for (Row row : rows) {
      List<String> label = wrap(row.label(), regular, 9, LABEL_WIDTH - 6);
      float height = Math.max(14, label.size() * 11 + 3);
      need(height);
      float lineY = y - 9;
      for (String part : label) {
        text(part, regular, 9, MARGIN, lineY, 0);
        lineY -= 11;
      }
      float barX = MARGIN + LABEL_WIDTH;
      out.setNonStrokingColor(0.9f);
      type.rect(out, barX, y - 11, BAR_AREA, 9);
      out.fill();
      out.setNonStrokingColor(0.18f, 0.44f, 0.69f);
      type.rect(out, barX, y - 11, (float) (BAR_AREA * Math.max(0, row.bar())), 9);
      out.fill();
      if (row.high() > 0) {
        float mid = y - 6.5f;
        float lo = barX + (float) (BAR_AREA * row.low());
        float hi = barX + (float) (BAR_AREA * row.high());
        out.setStrokingColor(0.05f);
        out.setLineWidth(0.8f);
        out.moveTo(type.x(lo), mid);
        out.lineTo(type.x(hi), mid);
        out.moveTo(type.x(lo), mid - 3);
        out.lineTo(type.x(lo), mid + 3);
        out.moveTo(type.x(hi), mid - 3);
        out.lineTo(type.x(hi), mid + 3);
        out.stroke();
      }
      text(row.numbers(), regular, 9, numbersX, y - 9, 0);
      y -= height;
    }
    y -= 6;
  }

  private void ideas(List<Ideas.Idea> ideas, List<EventCatalog.Option> themes) throws IOException {
    heading(f.text("report.ideas"), 15);
    if (ideas.isEmpty()) {
      paragraph(f.text("report.ideas.none"), regular, 10);
      return;
    }
    Map<String, List<Ideas.Idea>> byTheme = new LinkedHashMap<>();
    themes.forEach(t -> byTheme.put(t.id(), new ArrayList<>()));
    for (Ideas.Idea idea : ideas) {
      byTheme.computeIfAbsent(idea.themeId(), t -> new ArrayList<>()).add(idea);
    }
    for (Map.Entry<String, List<Ideas.Idea>> e : byTheme.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      String theme =
          e.getKey().isEmpty()
              ? f.text("report.theme.none")
              : EventCatalog.Event.label(themes, e.getKey()).orElse(e.getKey());
      heading(theme + " (" + e.getValue().size() + ")", 11);
      for (Ideas.Idea idea : e.getValue()) {
        String text = idea.title().isBlank() ? idea.text() : idea.title() + " — " + idea.text();
        paragraph("• " + text, regular, 10);
      }
    }
  }

  private void footers() throws IOException {
    int pages = document.getNumberOfPages();
    for (int i = 0; i < pages; i++) {
      try (PDPageContentStream footer =
          new PDPageContentStream(
              document, document.getPage(i), PDPageContentStream.AppendMode.APPEND, true)) {
        this.out = footer;
        text(f.text("report.page", i + 1, pages), regular, 8, MARGIN, 30, 0.4f);
      }
    }
  }

  private void heading(String text, float size) throws IOException {
    need(size * 3);
    y -= size * 0.6f;
    paragraph(text, bold, size);
    y -= 2;
  }

  private void line(String text, ReportText.Face font, float size, float grey) throws IOException {
    need(size * 1.5f);
    text(text, font, size, MARGIN, y - size, grey);
    y -= size * 1.45f;
  }

  private void paragraph(String text, ReportText.Face font, float size) throws IOException {
    for (String part : wrap(text, font, size, WIDTH)) {
      line(part, font, size, 0);
    }
    y -= size * 0.3f;
  }

  /** One line, its left end at {@code x} (mirrored on a right-to-left page). */
  private void text(String text, ReportText.Face font, float size, float x, float at, float grey)
      throws IOException {
    out.setNonStrokingColor(grey);
    type.show(out, text, font, size, x, at);
  }

  private List<String> wrap(String text, ReportText.Face font, float size, float width)
      throws IOException {
    return type.wrap(text, font, size, width);
  }

  /** Starts a new page when less than {@code height} points are left. */
  private void need(float height) throws IOException {
    if (y - height < MARGIN + 20) {
      out.close();
      newPage();
    }
  }

  private void newPage() throws IOException {
    PDPage page = new PDPage(PDRectangle.A4);
    document.addPage(page);
    out = new PDPageContentStream(document, page);
    y = PDRectangle.A4.getHeight() - MARGIN;
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.util.List;
import java.util.Optional;
import terrain.core.text.PageLanguage;
import terrain.store.StoreException;

/**
 * A section of the printed report given by another package (the representativeness, decision 0036):
 * its words ready to print, in the order they are printed. {@link ReportPdf} draws it with its own
 * fonts and tables; the package that computes the figures does not know PDF, and this package does
 * not know how they are computed.
 */
public record ReportSection(List<Block> blocks) {
  public ReportSection {
    blocks = List.copyOf(blocks);
  }

  /** What a section is made of. */
  public interface Block {}

  /** A paragraph; {@code muted} ones are printed smaller and grey (sources, notes). */
  public record Paragraph(String text, boolean muted) implements Block {}

  /** A small heading inside the section. */
  public record Subheading(String text) implements Block {}

  /** Lines printed as a list, each marked as wanting attention (who is missing). */
  public record Warnings(List<String> lines) implements Block {
    public Warnings {
      lines = List.copyOf(lines);
    }
  }

  /**
   * A table: a caption, the column heads (the first is the row's label), the rows.
   *
   * @param rows each row's cells, as many as heads
   */
  public record Table(String caption, List<String> heads, List<Row> rows) implements Block {
    public Table {
      heads = List.copyOf(heads);
      rows = List.copyOf(rows);
      for (Row row : rows) {
        if (row.cells().size() != heads.size()) {
          throw new IllegalArgumentException(
              "a row of " + row.cells().size() + " cells under " + heads.size() + " heads");
        }
      }
    }
  }

  /** A table's row; {@code marked} rows are shaded (a band said missing). */
  public record Row(List<String> cells, boolean marked) {
    public Row {
      cells = List.copyOf(cells);
    }
  }

  /** Gives an event's section in a language; empty when it has nothing to say (no population). */
  @FunctionalInterface
  public interface Source {
    Optional<ReportSection> section(String eventId, PageLanguage language) throws StoreException;

    /** No section: the report says what it would hold. */
    Source NONE = (eventId, language) -> Optional.empty();
  }
}

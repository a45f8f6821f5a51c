// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header, rows, columns as wide as their widest cell, two spaces between. */
final class Table {

  static final String GREEN = "\u001b[32m";
  static final String RED = "\u001b[31m";
  private static final String RESET = "\u001b[0m";

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<String> colours = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; {@code colour} is an ANSI colour for the whole line, or null. */
  Table colouredRow(String colour, String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "row of " + cells.length + " cells in a table of " + header.size() + " columns");
    }
    List<String> row = new ArrayList<>();
    for (String cell : cells) {
      row.add(cell == null || cell.isEmpty() ? "-" : oneLine(cell));
    }
    rows.add(row);
    colours.add(colour);
    return this;
  }

  Table row(String... cells) {
    return colouredRow(null, cells);
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Prints the table; with {@code ansi}, each row in its colour. */
  void print(PrintWriter out, boolean ansi) {
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = length(header.get(c));
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], length(row.get(c)));
      }
    }
    out.println(line(header, widths));
    for (int r = 0; r < rows.size(); r++) {
      String line = line(rows.get(r), widths);
      String colour = colours.get(r);
      out.println(ansi && colour != null ? colour + line + RESET : line);
    }
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      line.append(cell);
      if (c < cells.size() - 1) {
        line.append(" ".repeat(widths[c] - length(cell) + 2));
      }
    }
    return line.toString().stripTrailing();
  }

  private static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** Control characters (a server's text, a device name) never reach the terminal. */
  static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return out.toString();
  }
}

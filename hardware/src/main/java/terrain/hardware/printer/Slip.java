// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.util.List;
import java.util.Objects;

/**
 * A plain-text slip for staff (the hub's status, its close of day): a title and lines printed in
 * the printer's own font, no QR code.
 *
 * @param name short file-safe name, e.g. {@code status-20261204-0715} (the PDF's file name)
 * @param title printed in bold
 * @param lines printed as they are, wrapped to the paper
 */
public record Slip(String name, String title, List<String> lines) {
  public Slip {
    Objects.requireNonNull(name, "Slip name must not be null");
    Objects.requireNonNull(title, "Slip title must not be null");
    lines = List.copyOf(lines);
    if (!name.matches("[A-Za-z0-9._-]{1,80}")) {
      throw new IllegalArgumentException(
          "Slip name [" + name + "] must be 1 to 80 letters, digits, '.', '_' or '-'");
    }
  }
}

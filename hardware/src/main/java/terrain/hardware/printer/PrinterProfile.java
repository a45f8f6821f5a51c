// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What Terrain needs to know of a receipt printer model to print on it.
 *
 * @param name how it is chosen, e.g. {@code generic-80}
 * @param widthDots printable dots per line: 576 on 80 mm paper, 384 on 58 mm (8 dots per mm)
 * @param columns characters per line in the printer's font A (12 × 24 dots)
 * @param nativeQr whether the printer draws QR codes itself ({@code GS ( k}); otherwise the code is
 *     sent as a raster image ({@code GS v 0}), which every ESC/POS printer prints
 * @param codePage the {@code ESC t n} number of the code page CP858 (Latin-1 with €), usually 19
 */
public record PrinterProfile(
    String name, int widthDots, int columns, boolean nativeQr, int codePage) {

  /** An 80 mm printer of unknown make: QR codes as images, CP858 as page 19. */
  public static final PrinterProfile GENERIC_80 =
      new PrinterProfile("generic-80", 576, 48, false, 19);

  /** A 58 mm printer of unknown make. */
  public static final PrinterProfile GENERIC_58 =
      new PrinterProfile("generic-58", 384, 32, false, 19);

  /** Epson TM-T20 (I to III) on 80 mm paper: native QR codes, CP858 as page 19. */
  public static final PrinterProfile EPSON_TM_T20 =
      new PrinterProfile("epson-tm-t20", 576, 48, true, 19);

  /** The named profiles, the default first. */
  public static final List<PrinterProfile> NAMED = List.of(GENERIC_80, GENERIC_58, EPSON_TM_T20);

  public PrinterProfile {
    Objects.requireNonNull(name, "PrinterProfile name must not be null");
    if (widthDots < 128 || widthDots > 832 || widthDots % 8 != 0) {
      throw new IllegalArgumentException(
          "PrinterProfile widthDots [" + widthDots + "] must be a multiple of 8 from 128 to 832");
    }
    if (columns < 16 || columns > 64) {
      throw new IllegalArgumentException(
          "PrinterProfile columns [" + columns + "] must be from 16 to 64");
    }
    if (codePage < 0 || codePage > 255) {
      throw new IllegalArgumentException(
          "PrinterProfile codePage [" + codePage + "] must be from 0 to 255");
    }
  }

  /** The profile called {@code name}, ignoring case. */
  public static PrinterProfile named(String name) {
    Objects.requireNonNull(name, "name must not be null");
    return NAMED.stream()
        .filter(p -> p.name.equals(name.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "printer profile ["
                        + name
                        + "] is unknown: choose one of "
                        + String.join(", ", NAMED.stream().map(PrinterProfile::name).toList())));
  }
}

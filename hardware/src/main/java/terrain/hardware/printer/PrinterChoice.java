// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The printer chosen with {@code --printer}, parsed and checked:
 *
 * <pre>
 * pdf:DIR                                   PDF files in DIR
 * escpos:usb:/dev/usb/lp0                   a USB receipt printer (usblp device file)
 * escpos:serial:/dev/ttyUSB0?baud=19200     a serial one (baud 9600 unless said)
 * escpos:tcp:HOST:9100                      a network one (port 9100 unless said)
 * </pre>
 *
 * An {@code escpos:} choice may end with {@code ?profile=NAME} ({@code &profile=NAME} after the
 * baud), one of {@link PrinterProfile#NAMED}; {@code generic-80} unless said.
 */
public sealed interface PrinterChoice {

  /** What every form looks like, for error messages and help. */
  String FORMS =
      "pdf:DIR, escpos:usb:/dev/usb/lp0, escpos:serial:/dev/ttyUSB0?baud=19200 or"
          + " escpos:tcp:HOST:9100, optionally followed by ?profile=NAME (&profile=NAME after the"
          + " baud) with NAME one of generic-80, generic-58, epson-tm-t20";

  /** The printer itself. */
  TicketPrinter open();

  /** Short words for staff and logs, e.g. {@code escpos:tcp:10.0.0.9:9100 (generic-80)}. */
  String describe();

  /** PDF files in a folder. */
  record Pdf(Path folder) implements PrinterChoice {
    public Pdf {
      Objects.requireNonNull(folder, "Pdf folder must not be null");
    }

    @Override
    public FilePrinter open() {
      return new FilePrinter(folder, new TicketPdf());
    }

    @Override
    public String describe() {
      return folder.toString();
    }
  }

  /** An ESC/POS receipt printer. */
  record EscPos(PrinterLink link, PrinterProfile profile) implements PrinterChoice {
    public EscPos {
      Objects.requireNonNull(link, "EscPos link must not be null");
      Objects.requireNonNull(profile, "EscPos profile must not be null");
    }

    @Override
    public EscPosPrinter open() {
      return new EscPosPrinter(link, profile);
    }

    @Override
    public String describe() {
      return "escpos:" + link.describe() + " (" + profile.name() + ")";
    }
  }

  /** Parses {@code text}; an {@link IllegalArgumentException} says what is wrong and the forms. */
  static PrinterChoice parse(String text) {
    Objects.requireNonNull(text, "text must not be null");
    String value = text.strip();
    if (value.startsWith("pdf:")) {
      String folder = value.substring("pdf:".length());
      if (folder.isBlank()) {
        throw bad(text, "pdf: needs a folder");
      }
      try {
        return new Pdf(Path.of(folder));
      } catch (InvalidPathException e) {
        throw bad(text, "the folder is not a valid path (" + e.getReason() + ")");
      }
    }
    if (!value.startsWith("escpos:")) {
      throw bad(text, "it must start with pdf: or escpos:");
    }
    String rest = value.substring("escpos:".length());
    int colon = rest.indexOf(':');
    if (colon < 0) {
      throw bad(text, "escpos: must be followed by usb:, serial: or tcp:");
    }
    String kind = rest.substring(0, colon).toLowerCase(Locale.ROOT);
    String target = rest.substring(colon + 1);
    Map<String, String> query = new LinkedHashMap<>();
    int question = target.indexOf('?');
    if (question >= 0) {
      for (String pair : target.substring(question + 1).split("&")) {
        int equals = pair.indexOf('=');
        if (equals <= 0 || equals == pair.length() - 1) {
          throw bad(text, "[" + pair + "] is not NAME=VALUE");
        }
        if (query.put(pair.substring(0, equals), pair.substring(equals + 1)) != null) {
          throw bad(text, pair.substring(0, equals) + " is given twice");
        }
      }
      target = target.substring(0, question);
    }
    if (target.isBlank()) {
      throw bad(text, "escpos:" + kind + ": needs a device or an address");
    }
    PrinterProfile profile;
    try {
      profile = PrinterProfile.named(query.getOrDefault("profile", "generic-80"));
    } catch (IllegalArgumentException e) {
      throw bad(text, e.getMessage());
    }
    query.remove("profile");
    PrinterLink link =
        switch (kind) {
          case "usb" -> {
            noMore(text, query);
            if (!target.startsWith("/")) {
              throw bad(text, "the USB printer device [" + target + "] must be an absolute path");
            }
            yield new PrinterLink.DeviceFile(Path.of(target));
          }
          case "serial" -> {
            String baud = query.remove("baud");
            noMore(text, query);
            try {
              yield new PrinterLink.Serial(target, baud == null ? 9600 : Integer.parseInt(baud));
            } catch (NumberFormatException e) {
              throw bad(text, "baud [" + baud + "] is not a number");
            } catch (IllegalArgumentException e) {
              throw bad(text, e.getMessage());
            }
          }
          case "tcp" -> {
            noMore(text, query);
            yield tcp(text, target);
          }
          default -> throw bad(text, "[" + kind + "] is not usb, serial or tcp");
        };
    return new EscPos(link, profile);
  }

  private static PrinterLink.Tcp tcp(String text, String target) {
    String host = target;
    int port = 9100;
    int colon = target.lastIndexOf(':');
    if (target.startsWith("[")) {
      int close = target.indexOf(']');
      if (close < 0) {
        throw bad(text, "an IPv6 address must be closed with ]");
      }
      host = target.substring(1, close);
      colon = target.indexOf(':', close);
    } else if (colon >= 0) {
      host = target.substring(0, colon);
    }
    if (colon >= 0) {
      String number = target.substring(colon + 1);
      try {
        port = Integer.parseInt(number);
      } catch (NumberFormatException e) {
        throw bad(text, "port [" + number + "] is not a number");
      }
    }
    try {
      return new PrinterLink.Tcp(host, port, Duration.ofSeconds(3));
    } catch (IllegalArgumentException e) {
      throw bad(text, e.getMessage());
    }
  }

  private static void noMore(String text, Map<String, String> query) {
    if (!query.isEmpty()) {
      throw bad(text, "unknown option " + String.join(", ", query.keySet()));
    }
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException(
        "printer [" + text + "] is not understood: " + why + ". Write " + FORMS);
  }
}

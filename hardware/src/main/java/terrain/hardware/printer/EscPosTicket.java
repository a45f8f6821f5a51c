// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.printer;

import com.google.zxing.common.BitMatrix;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import terrain.core.ticket.QrCodes;

/**
 * ESC/POS bytes that print a ticket in the printer's own font, with the QR code drawn by the
 * printer ({@code GS ( k}) or sent as an image ({@code GS v 0}), as the {@link PrinterProfile}
 * says. Text is encoded in code page CP858 (selected with {@code ESC t}), so é, è, à, ç and € print
 * right; a character CP858 lacks prints as "?", and control characters never reach the printer (a
 * title cannot smuggle commands).
 *
 * <p>The layout follows {@link TicketPdf}: title in bold, the briqs in double size, the QR code,
 * the short code, what to do, where to type the code, the last valid day; then feed and cut.
 */
public final class EscPosTicket {

  /** Code page CP858: IBM's code page 850 with € at 0xD5. */
  public static final Charset CP858 = Charset.forName("IBM00858");

  private static final int ESC = 0x1B;
  private static final int GS = 0x1D;

  private final PrinterProfile profile;

  public EscPosTicket(PrinterProfile profile) {
    this.profile = Objects.requireNonNull(profile, "profile must not be null");
  }

  public PrinterProfile profile() {
    return profile;
  }

  /** The bytes of one ticket, from reset to cut. */
  public byte[] encode(TicketPrint ticket) {
    Objects.requireNonNull(ticket, "ticket must not be null");
    TicketText text = TicketText.of(ticket);
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    write(out, ESC, '@'); // reset
    write(out, ESC, 't', profile.codePage()); // code page CP858
    write(out, ESC, 'a', 1); // centre
    write(out, ESC, 'E', 1); // bold
    List<String> title = wrap(ticket.eventTitle(), profile.columns());
    lines(out, title.subList(0, Math.min(3, title.size())));
    write(out, ESC, 'E', 0);
    write(out, '\n');
    write(out, GS, '!', 0x11); // double width and height
    lines(out, wrap(text.briqs(), profile.columns() / 2));
    write(out, GS, '!', 0);
    if (ticket.golden()) {
      write(out, ESC, 'E', 1);
      lines(out, wrap(text.golden(), profile.columns()));
      write(out, ESC, 'E', 0);
    }
    write(out, '\n');
    BitMatrix qr = QrCodes.encode(ticket.qrContent());
    int module = moduleDots(qr.getWidth());
    if (profile.nativeQr()) {
      nativeQr(out, ticket.qrContent(), module);
    } else {
      EscPosRaster.bands(qrImage(qr, module), out);
    }
    write(out, '\n');
    write(out, ESC, 'E', 1);
    lines(out, wrap(text.code(), profile.columns()));
    write(out, ESC, 'E', 0);
    write(out, '\n');
    lines(out, wrap(text.instructions(), profile.columns()));
    lines(out, wrap(text.typeCode(), profile.columns()));
    write(out, '\n');
    write(out, ESC, 'E', 1);
    lines(out, wrap(text.expires(), profile.columns()));
    write(out, ESC, 'E', 0);
    write(out, ESC, 'd', 4); // feed four lines
    write(out, GS, 'V', 66, 0); // feed to the cutter and cut
    return out.toByteArray();
  }

  /**
   * The bytes of a plain-text slip: the title in bold, each line wrapped to the paper, then feed
   * and cut.
   */
  public byte[] slip(Slip slip) {
    Objects.requireNonNull(slip, "slip must not be null");
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    write(out, ESC, '@'); // reset
    write(out, ESC, 't', profile.codePage()); // code page CP858
    write(out, ESC, 'a', 1); // centre
    write(out, ESC, 'E', 1); // bold
    lines(out, wrap(slip.title(), profile.columns()));
    write(out, ESC, 'E', 0);
    write(out, ESC, 'a', 0); // left
    write(out, '\n');
    for (String line : slip.lines()) {
      List<String> wrapped = wrap(line, profile.columns());
      lines(out, wrapped.isEmpty() ? List.of("") : wrapped);
    }
    write(out, ESC, 'd', 4); // feed four lines
    write(out, GS, 'V', 66, 0); // feed to the cutter and cut
    return out.toByteArray();
  }

  /** Dots per QR module: as large as fits three quarters of the paper, from 2 to 8. */
  private int moduleDots(int modules) {
    int fit = profile.widthDots() * 3 / 4 / (modules + 2 * QrCodes.QUIET_ZONE);
    return Math.max(2, Math.min(8, fit));
  }

  /**
   * {@code GS ( k}: model 2, module size, error correction M, store the data, print it. Each
   * function is {@code 1D 28 6B pL pH 31 fn ...} where pL + 256 pH counts the bytes after pH.
   */
  private static void nativeQr(ByteArrayOutputStream out, String content, int module) {
    write(out, GS, '(', 'k', 4, 0, 0x31, 0x41, 0x32, 0); // fn 65: model 2
    write(out, GS, '(', 'k', 3, 0, 0x31, 0x43, module); // fn 67: module size in dots
    write(out, GS, '(', 'k', 3, 0, 0x31, 0x45, 0x31); // fn 69: error correction M
    byte[] data = content.getBytes(StandardCharsets.US_ASCII);
    int length = data.length + 3;
    write(out, GS, '(', 'k', length & 0xFF, length >> 8, 0x31, 0x50, 0x30); // fn 80: store
    out.writeBytes(data);
    write(out, GS, '(', 'k', 3, 0, 0x31, 0x51, 0x30); // fn 81: print
  }

  /** The QR code with its quiet zone, centred on a paper-wide white image. */
  private BufferedImage qrImage(BitMatrix qr, int module) {
    int side = (qr.getWidth() + 2 * QrCodes.QUIET_ZONE) * module;
    BufferedImage image =
        new BufferedImage(profile.widthDots(), side, BufferedImage.TYPE_BYTE_GRAY);
    int left = (profile.widthDots() - side) / 2 + QrCodes.QUIET_ZONE * module;
    int top = QrCodes.QUIET_ZONE * module;
    var raster = image.getRaster();
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < profile.widthDots(); x++) {
        raster.setSample(x, y, 0, 255);
      }
    }
    for (int my = 0; my < qr.getHeight(); my++) {
      for (int mx = 0; mx < qr.getWidth(); mx++) {
        if (qr.get(mx, my)) {
          for (int dy = 0; dy < module; dy++) {
            for (int dx = 0; dx < module; dx++) {
              raster.setSample(left + mx * module + dx, top + my * module + dy, 0, 0);
            }
          }
        }
      }
    }
    return image;
  }

  private static void lines(ByteArrayOutputStream out, List<String> lines) {
    for (String line : lines) {
      out.writeBytes(cp858(line));
      out.write('\n');
    }
  }

  /**
   * {@code text} in CP858: typographic quotes, dashes and spaces as their plain forms, control
   * characters as spaces, anything else CP858 lacks as "?".
   */
  public static byte[] cp858(String text) {
    StringBuilder plain = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\u2018', '\u2019', '\u02BC' -> plain.append('\'');
                case '\u201C', '\u201D', '\u00AB', '\u00BB' -> plain.append('"');
                case '\u2013', '\u2014', '\u2011' -> plain.append('-');
                case '\u2026' -> plain.append("...");
                default -> {
                  if (Character.isISOControl(c) || Character.isSpaceChar(c)) {
                    plain.append(' ');
                  } else {
                    plain.appendCodePoint(c);
                  }
                }
              }
            });
    CharsetEncoder encoder =
        CP858
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)
            .replaceWith(new byte[] {'?'});
    try {
      ByteBuffer bytes = encoder.encode(CharBuffer.wrap(plain));
      byte[] out = new byte[bytes.remaining()];
      bytes.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("an encoder that replaces cannot fail", e);
    }
  }

  /** Greedy word wrap to {@code columns} characters; a longer word is cut. */
  static List<String> wrap(String text, int columns) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.strip().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      if (line.isEmpty()
          ? word.length() <= columns
          : line.length() + 1 + word.length() <= columns) {
        if (!line.isEmpty()) {
          line.append(' ');
        }
        line.append(word);
        continue;
      }
      if (!line.isEmpty()) {
        lines.add(line.toString());
        line.setLength(0);
      }
      String rest = word;
      while (rest.length() > columns) {
        lines.add(rest.substring(0, columns));
        rest = rest.substring(columns);
      }
      line.append(rest);
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static void write(ByteArrayOutputStream out, int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.reports;

import com.ibm.icu.text.ArabicShaping;
import com.ibm.icu.text.ArabicShapingException;
import com.ibm.icu.text.Bidi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The text layer of the printed report (decision 0042): the embedded fonts, Arabic shaping, the
 * order of mixed right-to-left and left-to-right text, widths, wrapping, and the mirroring of a
 * right-to-left page.
 *
 * <p>The fonts are Noto Sans (Latin and the rest of Europe) and Noto Sans Arabic, OFL, shipped in
 * {@code fonts/} next to this class and embedded as subsets: each character is drawn with the Latin
 * font when it has it, else with the Arabic one, else as {@code ?}. PDFBox draws glyphs as given
 * and does not shape: a line is shaped by ICU4J's {@link ArabicShaping} (letters to their joined
 * presentation forms) and put in visual order by ICU4J's {@link Bidi} (per line, after wrapping,
 * with brackets mirrored), then drawn left to right in runs of one font.
 *
 * <p>The report lays its page out left to right, as for French; on a right-to-left page (Arabic)
 * every x given here is mirrored about the page's middle: a text drawn "at the left margin" ends at
 * the right margin, a table's first column is the rightmost, a bar grows leftwards.
 */
final class ReportText {
  private static final String FONTS = "fonts/";
  private static final FontFile LATIN_REGULAR = new FontFile("NotoSans-Regular.ttf");
  private static final FontFile LATIN_BOLD = new FontFile("NotoSans-Bold.ttf");
  private static final FontFile ARABIC_REGULAR = new FontFile("NotoSansArabic-Regular.ttf");
  private static final FontFile ARABIC_BOLD = new FontFile("NotoSansArabic-Bold.ttf");

  /** The first code point of the right-to-left scripts (Hebrew), where shaping and bidi start. */
  private static final int RTL_FROM = 0x0590;

  private final PDDocument document;
  private final boolean rightToLeft;
  private final float pageWidth = PDRectangle.A4.getWidth();

  /** The report's regular text. */
  final Face regular;

  /** The report's headings and emphasis. */
  final Face bold;

  /**
   * @param rightToLeft whether the page reads right to left (Arabic): texts are then ordered from
   *     the right and the layout mirrored
   */
  ReportText(PDDocument document, boolean rightToLeft) {
    this.document = document;
    this.rightToLeft = rightToLeft;
    this.regular = new Face(LATIN_REGULAR, ARABIC_REGULAR);
    this.bold = new Face(LATIN_BOLD, ARABIC_BOLD);
  }

  boolean rightToLeft() {
    return rightToLeft;
  }

  /** A weight: its Latin and Arabic fonts, loaded into the document when first drawn. */
  final class Face {
    private final FontFile latinFile;
    private final FontFile arabicFile;
    private PDType0Font latin;
    private PDType0Font arabic;

    private Face(FontFile latinFile, FontFile arabicFile) {
      this.latinFile = latinFile;
      this.arabicFile = arabicFile;
    }

    /** The font that draws this code point, null when neither has it. */
    private FontFile fileFor(int codePoint) {
      if (latinFile.has(codePoint)) {
        return latinFile;
      }
      return arabicFile.has(codePoint) ? arabicFile : null;
    }

    private PDType0Font font(FontFile file) throws IOException {
      if (file == latinFile) {
        if (latin == null) {
          latin = file.load(document);
        }
        return latin;
      }
      if (arabic == null) {
        arabic = file.load(document);
      }
      return arabic;
    }
  }

  /** The width of a logical text (as stored), once shaped, in points. */
  float width(String text, Face face, float size) throws IOException {
    float width = 0;
    for (Run run : runs(visual(text), face)) {
      width += face.font(run.file()).getStringWidth(run.text()) / 1000 * size;
    }
    return width;
  }

  /**
   * The logical text cut into lines at spaces so that each is at most {@code width} wide (a word
   * longer than a line stays whole). Lines are cut before they are put in visual order.
   */
  List<String> wrap(String text, Face face, float size, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = current.length() == 0 ? word : current + " " + word;
      if (width(candidate, face, size) > width && current.length() > 0) {
        lines.add(current.toString());
        current = new StringBuilder(word);
      } else {
        current = new StringBuilder(candidate);
      }
    }
    if (current.length() > 0) {
      lines.add(current.toString());
    }
    return lines;
  }

  /**
   * Draws one line of logical text whose left end is at {@code x} on a left-to-right page (its
   * right end at the mirrored place on a right-to-left one), baseline at {@code y}.
   */
  void show(PDPageContentStream out, String text, Face face, float size, float x, float y)
      throws IOException {
    List<Run> runs = runs(visual(text), face);
    float left = rightToLeft ? pageWidth - x - width(text, face, size) : x;
    out.beginText();
    out.newLineAtOffset(left, y);
    for (Run run : runs) {
      PDType0Font font = face.font(run.file());
      out.setFont(font, size);
      out.showText(run.text());
      out.newLineAtOffset(font.getStringWidth(run.text()) / 1000 * size, 0);
    }
    out.endText();
  }

  /** A rectangle given left to right, mirrored on a right-to-left page. */
  void rect(PDPageContentStream out, float x, float y, float width, float height)
      throws IOException {
    out.addRect(left(x, width), y, width, height);
  }

  /** Where something {@code width} wide whose left is at {@code x} on a left-to-right page goes. */
  float left(float x, float width) {
    return rightToLeft ? pageWidth - x - width : x;
  }

  /** A point's x, mirrored on a right-to-left page. */
  float x(float x) {
    return rightToLeft ? pageWidth - x : x;
  }

  /**
   * The text shaped and in visual order (left to right), with no-break spaces drawn as spaces and
   * the bidi controls gone. On a right-to-left page a line reads from the right, unless it holds
   * left-to-right letters and no right-to-left one (a French name, a text the event has only in
   * French): it then reads from the left, its full stop at its end.
   */
  String visual(String text) {
    String plain = text.replace('\u00a0', ' ').replace('\u202f', ' ');
    if (!rightToLeft && plain.codePoints().allMatch(cp -> cp < RTL_FROM)) {
      return plain;
    }
    // The marks number formats put around a percent sign would make each figure its own run.
    plain = plain.replace("\u200e", "").replace("\u200f", "").replace("\u061c", "");
    String shaped;
    try {
      shaped =
          new ArabicShaping(
                  ArabicShaping.LETTERS_SHAPE
                      | ArabicShaping.TEXT_DIRECTION_LOGICAL
                      | ArabicShaping.LENGTH_GROW_SHRINK)
              .shape(plain);
    } catch (ArabicShapingException e) {
      shaped = plain; // only with fixed-length options, which are not used
    }
    Bidi bidi = new Bidi();
    bidi.setPara(marks(shaped), rightToLeft && !leftToRight(plain) ? Bidi.RTL : Bidi.LTR, null);
    return bidi.writeReordered(Bidi.DO_MIRRORING | Bidi.REMOVE_BIDI_CONTROLS);
  }

  /** Whether the text has left-to-right letters and no right-to-left one. */
  private static boolean leftToRight(String text) {
    boolean latin = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      byte d = Character.getDirectionality(cp);
      if (d == Character.DIRECTIONALITY_RIGHT_TO_LEFT
          || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
        return false;
      }
      latin |= d == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
    }
    return latin;
  }

  /**
   * The vowel marks (tashkeel) back to combining marks: the shaper gives their spacing forms, some
   * with a tatweel, which would stretch a word; the fonts draw the combining ones over the letter.
   */
  private static String marks(String shaped) {
    StringBuilder out = new StringBuilder(shaped.length());
    for (int i = 0; i < shaped.length(); i++) {
      char c = shaped.charAt(i);
      out.append(c >= 0xFE70 && c <= 0xFE7F ? TASHKEEL[c - 0xFE70] : c);
    }
    return out.toString();
  }

  /** U+FE70 to U+FE7F (isolated and medial forms of the marks) as the marks they show. */
  private static final char[] TASHKEEL = {
    '\u064b', '\u064b', '\u064c', '\ufe73', '\u064d', '\ufe75', '\u064e', '\u064e',
    '\u064f', '\u064f', '\u0650', '\u0650', '\u0651', '\u0651', '\u0652', '\u0652'
  };

  private record Run(FontFile file, String text) {}

  /** The visual text cut where the font changes; what no font has becomes {@code ?}. */
  private static List<Run> runs(String visual, Face face) {
    List<Run> runs = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    FontFile currentFile = null;
    int i = 0;
    while (i < visual.length()) {
      int cp = visual.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.getType(cp) == Character.FORMAT || Character.isISOControl(cp)) {
        continue; // zero-width joiners, marks the fonts do not draw
      }
      FontFile file = face.fileFor(cp);
      if (file == null) {
        cp = '?';
        file = face.latinFile;
      }
      if (file != currentFile && current.length() > 0) {
        runs.add(new Run(currentFile, current.toString()));
        current.setLength(0);
      }
      currentFile = file;
      current.appendCodePoint(cp);
    }
    if (current.length() > 0) {
      runs.add(new Run(currentFile, current.toString()));
    }
    return runs;
  }

  /** A font file of {@code fonts/}: its bytes and the code points it maps, read once. */
  private static final class FontFile {
    private final String name;
    private volatile byte[] bytes;
    private volatile BitSet codePoints;

    FontFile(String name) {
      this.name = name;
    }

    private synchronized void read() {
      if (bytes != null) {
        return;
      }
      try (InputStream in = ReportText.class.getResourceAsStream(FONTS + name)) {
        if (in == null) {
          throw new IllegalStateException("The report font " + FONTS + name + " is missing");
        }
        byte[] read = in.readAllBytes();
        BitSet mapped = new BitSet();
        try (TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(read))) {
          CmapLookup cmap = ttf.getUnicodeCmapLookup();
          for (int cp = 0x20; cp <= 0xFFFF; cp++) {
            if (cmap.getGlyphId(cp) > 0) {
              mapped.set(cp);
            }
          }
        }
        codePoints = mapped;
        bytes = read;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the report font " + FONTS + name, e);
      }
    }

    boolean has(int codePoint) {
      BitSet mapped = codePoints;
      if (mapped == null) {
        read();
        mapped = codePoints;
      }
      return mapped.get(codePoint);
    }

    PDType0Font load(PDDocument document) throws IOException {
      read();
      return PDType0Font.load(document, new ByteArrayInputStream(bytes), true);
    }
  }
}

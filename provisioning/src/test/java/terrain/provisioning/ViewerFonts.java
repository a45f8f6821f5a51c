// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.fontbox.FontBoxFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.font.CIDFontMapping;
import org.apache.pdfbox.pdmodel.font.FontMapper;
import org.apache.pdfbox.pdmodel.font.FontMappers;
import org.apache.pdfbox.pdmodel.font.FontMapping;
import org.apache.pdfbox.pdmodel.font.PDCIDSystemInfo;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;

/**
 * For the screenshot only: the kit uses PDF's standard Courier and Helvetica Bold, which a PDF
 * viewer draws with its own fonts; PDFBox's renderer, on a machine without them, draws every one
 * with its built-in Liberation Sans (no bold, no fixed width). This maps them to the DejaVu fonts
 * of the machine when there are some, so the PNG looks as a viewer shows the page. The PDF itself
 * does not change.
 */
final class ViewerFonts implements FontMapper, AutoCloseable {

  private static final Path DIR = Path.of("/usr/share/fonts/truetype/dejavu");
  private static final Map<String, String> FILES =
      Map.of(
          "Courier", "DejaVuSansMono.ttf",
          "Courier-Bold", "DejaVuSansMono-Bold.ttf",
          "Helvetica-Bold", "DejaVuSansCondensed-Bold.ttf");

  private final FontMapper fallback = FontMappers.instance();

  private ViewerFonts() {}

  /** Installs the mapping until {@link #close()}. */
  static ViewerFonts install() {
    ViewerFonts fonts = new ViewerFonts();
    FontMappers.set(fonts);
    return fonts;
  }

  @Override
  public void close() {
    FontMappers.set(fallback);
  }

  @Override
  public FontMapping<TrueTypeFont> getTrueTypeFont(String baseFont, PDFontDescriptor descriptor) {
    return fallback.getTrueTypeFont(baseFont, descriptor);
  }

  @Override
  public FontMapping<FontBoxFont> getFontBoxFont(String baseFont, PDFontDescriptor descriptor) {
    String file = FILES.get(baseFont);
    if (file != null && Files.isReadable(DIR.resolve(file))) {
      try {
        TrueTypeFont font =
            new TTFParser().parse(new RandomAccessReadBufferedFile(DIR.resolve(file).toFile()));
        return new FontMapping<>(font, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return fallback.getFontBoxFont(baseFont, descriptor);
  }

  @Override
  public CIDFontMapping getCIDFont(
      String baseFont, PDFontDescriptor descriptor, PDCIDSystemInfo cidSystemInfo) {
    return fallback.getCIDFont(baseFont, descriptor, cidSystemInfo);
  }
}

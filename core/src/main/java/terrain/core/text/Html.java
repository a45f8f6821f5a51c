// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.text;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Escaping for server-rendered pages: everything a page shows from data goes through here. */
public final class Html {
  private Html() {}

  /** Escapes text for an HTML element body or a double- or single-quoted attribute value. */
  public static String escape(Object value) {
    String text = String.valueOf(value);
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            out.append("&#xFFFD;");
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** One path segment of a link, percent-encoded (a space as %20, not '+'). */
  public static String pathSegment(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Escaping for the server-rendered pages: everything shown goes through here. */
final class Html {
  private Html() {}

  /** Text for element content and quoted attribute values. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** One path segment of a link, percent-encoded (a space as %20, not '+'). */
  static String pathSegment(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

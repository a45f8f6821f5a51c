// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.record;

import java.util.Objects;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;

/**
 * The content of an {@link RecordKind#IDEA} record: an idea a resident left on the kiosk after a
 * poll. It is committed in the same transaction as the RESPONSE record of the same participation
 * (the next seq of the same device). Ids are written in full, like in {@link ResponseBody}.
 *
 * <pre>
 * u8      format version (1)
 * text    poll id the idea was left after (1 to 64 bytes)
 * text    theme id, empty when no theme was chosen (0 to 64 bytes)
 * text    language tag of the screen the resident typed on ("fr", "en", "ar"; 1 to 8 bytes)
 * text    title, may be empty (at most 80 characters, 320 bytes)
 * text    text, may be empty but not together with the title (at most 600 characters, 2400 bytes)
 * </pre>
 *
 * A text is a varint length in bytes then UTF-8 bytes. Decoding checks every length before it
 * allocates, so a hostile body cannot make a receiver allocate more than the limits above.
 *
 * @param themeId the theme id, or empty for none
 */
public record IdeaBody(String pollId, String themeId, String language, String title, String text) {
  public static final int VERSION = 1;

  /** Longest title, in characters (code points), as the kiosk enforces it. */
  public static final int MAX_TITLE_CHARS = 80;

  /** Longest text, in characters (code points). */
  public static final int MAX_TEXT_CHARS = 600;

  private static final int MAX_ID_BYTES = 64;
  private static final int MAX_LANGUAGE_BYTES = 8;

  public IdeaBody {
    Objects.requireNonNull(pollId, "IdeaBody pollId must not be null");
    Objects.requireNonNull(themeId, "IdeaBody themeId must not be null (empty for none)");
    Objects.requireNonNull(language, "IdeaBody language must not be null");
    Objects.requireNonNull(title, "IdeaBody title must not be null");
    Objects.requireNonNull(text, "IdeaBody text must not be null");
    if (pollId.isEmpty() || utf8Length(pollId) > MAX_ID_BYTES) {
      throw new IllegalArgumentException(
          "IdeaBody pollId [" + pollId + "] must be 1 to " + MAX_ID_BYTES + " bytes");
    }
    if (utf8Length(themeId) > MAX_ID_BYTES) {
      throw new IllegalArgumentException(
          "IdeaBody themeId [" + themeId + "] must be at most " + MAX_ID_BYTES + " bytes");
    }
    if (language.isEmpty() || utf8Length(language) > MAX_LANGUAGE_BYTES) {
      throw new IllegalArgumentException(
          "IdeaBody language [" + language + "] must be 1 to " + MAX_LANGUAGE_BYTES + " bytes");
    }
    if (title.codePointCount(0, title.length()) > MAX_TITLE_CHARS) {
      throw new IllegalArgumentException(
          "IdeaBody title has "
              + title.codePointCount(0, title.length())
              + " characters; at most "
              + MAX_TITLE_CHARS);
    }
    if (text.codePointCount(0, text.length()) > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException(
          "IdeaBody text has "
              + text.codePointCount(0, text.length())
              + " characters; at most "
              + MAX_TEXT_CHARS);
    }
    if (title.isBlank() && text.isBlank()) {
      throw new IllegalArgumentException("IdeaBody title and text must not both be blank");
    }
  }

  /** The theme id, or empty when the resident chose none. */
  public java.util.Optional<String> theme() {
    return themeId.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(themeId);
  }

  public byte[] encode() {
    return new ByteWriter(16 + title.length() + text.length())
        .u8(VERSION)
        .text(pollId)
        .text(themeId)
        .text(language)
        .text(title)
        .text(text)
        .toByteArray();
  }

  /** Reads an IDEA record body from untrusted bytes. */
  public static IdeaBody decode(byte[] body) throws WireException {
    ByteReader in = new ByteReader(body);
    int version = in.u8("idea version");
    if (version != VERSION) {
      throw new WireException(
          "idea format version " + version + " is not supported (this build reads 1)");
    }
    String poll = in.text("idea poll id", MAX_ID_BYTES);
    String theme = in.text("idea theme id", MAX_ID_BYTES);
    String language = in.text("idea language", MAX_LANGUAGE_BYTES);
    String title = in.text("idea title", MAX_TITLE_CHARS * 4);
    String text = in.text("idea text", MAX_TEXT_CHARS * 4);
    in.expectEnd("idea");
    try {
      return new IdeaBody(poll, theme, language, title, text);
    } catch (IllegalArgumentException e) {
      throw new WireException("idea is invalid: " + e.getMessage());
    }
  }

  private static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}

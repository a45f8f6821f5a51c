// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.record;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import terrain.core.codec.ByteReader;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;

/**
 * The content of a {@link RecordKind#RESPONSE} record: one resident's completed participation in a
 * poll. Ids are written in full (not as indexes into the event file) so that a response stays
 * readable even if the event file is edited after the market day.
 *
 * <p>Version 1, for answers that are only options (single, multiple, scale, yes/no, ranking, and a
 * map zone picked from the list):
 *
 * <pre>
 * u8      format version (1)
 * text    poll id
 * varint  number of answers, then for each answer:
 *   text    question id
 *   varint  number of chosen options, then each option id as text (in the order given:
 *           for a ranking, the order is the rank)
 * </pre>
 *
 * <p>Version 2 adds, after the options of every answer, what an option id cannot hold: a pin on a
 * map and a free text. It is written only when some answer has one, so that a body of options only
 * stays version 1, readable by older receivers.
 *
 * <pre>
 * u8      format version (2)
 * text    poll id
 * varint  number of answers, then for each answer:
 *   text    question id
 *   varint  number of chosen options, then each option id as text
 *   u8      flags: bit 0 a pin follows, bit 1 a text follows, other bits 0
 *   [varint x, varint y]   the pin, per mille of the map's width and height (0..1000)
 *   [text]                 the free text, UTF-8, at most 2000 bytes
 * </pre>
 */
public record ResponseBody(String pollId, List<Answer> answers) {
  /** The version written when no answer has a pin or a text. */
  public static final int VERSION = 1;

  /** The version written when an answer has a pin or a text. */
  public static final int VERSION_2 = 2;

  private static final int MAX_ID_BYTES = 64;
  private static final int MAX_ANSWERS = 200;
  private static final int MAX_OPTIONS = 200;

  /** The most UTF-8 bytes of a free text: 500 characters of up to 4 bytes each. */
  public static final int MAX_TEXT_BYTES = 2000;

  private static final int FLAG_PIN = 1;
  private static final int FLAG_TEXT = 2;

  /**
   * A point on a map, in per mille of its width ({@code x}, from the left) and height ({@code y},
   * from the top).
   */
  public record Pin(int x, int y) {
    public static final int SCALE = 1000;

    public Pin {
      if (x < 0 || x > SCALE || y < 0 || y > SCALE) {
        throw new IllegalArgumentException(
            "Pin [" + x + ", " + y + "] must have x and y from 0 to " + SCALE + " per mille");
      }
    }
  }

  /**
   * What one resident answered to one question.
   *
   * @param optionIds the chosen options, in order (for a ranking, the order is the rank; for a map,
   *     the zone)
   * @param pin where a map was touched, if it was
   * @param text the typed text of a text question, if any
   */
  public record Answer(
      String questionId, List<String> optionIds, Optional<Pin> pin, Optional<String> text) {
    public Answer {
      Objects.requireNonNull(questionId, "Answer questionId must not be null");
      optionIds = List.copyOf(optionIds);
      Objects.requireNonNull(pin, "Answer pin must not be null (use Optional.empty())");
      Objects.requireNonNull(text, "Answer text must not be null (use Optional.empty())");
    }

    /** An answer of options only. */
    public Answer(String questionId, List<String> optionIds) {
      this(questionId, optionIds, Optional.empty(), Optional.empty());
    }

    /** A pin on a map, in the zone {@code zoneId} if it fell in one. */
    public static Answer pin(String questionId, Pin pin, Optional<String> zoneId) {
      return new Answer(questionId, zoneId.stream().toList(), Optional.of(pin), Optional.empty());
    }

    /** A free text. */
    public static Answer text(String questionId, String text) {
      return new Answer(questionId, List.of(), Optional.empty(), Optional.of(text));
    }

    boolean needsVersion2() {
      return pin.isPresent() || text.isPresent();
    }
  }

  public ResponseBody {
    answers = List.copyOf(answers);
  }

  /** The version {@link #encode()} writes: 1 unless an answer has a pin or a text. */
  public int formatVersion() {
    return answers.stream().anyMatch(Answer::needsVersion2) ? VERSION_2 : VERSION;
  }

  public byte[] encode() {
    int version = formatVersion();
    ByteWriter out = new ByteWriter(16 + answers.size() * 24);
    out.u8(version).text(pollId).varint(answers.size());
    for (Answer answer : answers) {
      out.text(answer.questionId()).varint(answer.optionIds().size());
      for (String option : answer.optionIds()) {
        out.text(option);
      }
      if (version == VERSION_2) {
        int flags =
            (answer.pin().isPresent() ? FLAG_PIN : 0) | (answer.text().isPresent() ? FLAG_TEXT : 0);
        out.u8(flags);
        answer.pin().ifPresent(p -> out.varint(p.x()).varint(p.y()));
        answer.text().ifPresent(out::text);
      }
    }
    return out.toByteArray();
  }

  public static ResponseBody decode(byte[] body) throws WireException {
    ByteReader in = new ByteReader(body);
    int version = in.u8("response version");
    if (version != VERSION && version != VERSION_2) {
      throw new WireException(
          "response format version " + version + " is not supported (this build reads 1 and 2)");
    }
    String poll = in.text("poll id", MAX_ID_BYTES);
    int count = in.count("answer count", MAX_ANSWERS);
    // Read into arrays made immutable lists once (the records' List.copyOf keeps them as they are):
    // no growing list copied again, for every response the server receives.
    Answer[] answers = new Answer[count];
    for (int i = 0; i < count; i++) {
      String question = in.text("question id", MAX_ID_BYTES);
      List<String> chosen = options(in, in.count("option count", MAX_OPTIONS));
      Optional<Pin> pin = Optional.empty();
      Optional<String> text = Optional.empty();
      if (version == VERSION_2) {
        int flags = in.u8("answer flags");
        if ((flags & ~(FLAG_PIN | FLAG_TEXT)) != 0) {
          throw new WireException(
              "answer flags 0x"
                  + Integer.toHexString(flags)
                  + " of question "
                  + question
                  + " has unknown bits (this build knows pin 0x1 and text 0x2)");
        }
        if ((flags & FLAG_PIN) != 0) {
          long x = in.varint("pin x");
          long y = in.varint("pin y");
          if (x > Pin.SCALE || y > Pin.SCALE) {
            throw new WireException(
                "pin ["
                    + x
                    + ", "
                    + y
                    + "] of question "
                    + question
                    + " is off the map (0 to 1000 per mille)");
          }
          pin = Optional.of(new Pin((int) x, (int) y));
        }
        if ((flags & FLAG_TEXT) != 0) {
          text = Optional.of(in.text("answer text", MAX_TEXT_BYTES));
        }
      }
      answers[i] = new Answer(question, chosen, pin, text);
    }
    in.expectEnd("response");
    return new ResponseBody(poll, List.of(answers));
  }

  /** An answer's {@code count} option ids, as an immutable list (a single one without an array). */
  private static List<String> options(ByteReader in, int count) throws WireException {
    return switch (count) {
      case 0 -> List.of();
      case 1 -> List.of(in.text("option id", MAX_ID_BYTES));
      default -> {
        String[] ids = new String[count];
        for (int j = 0; j < count; j++) {
          ids[j] = in.text("option id", MAX_ID_BYTES);
        }
        yield List.of(ids);
      }
    };
  }
}

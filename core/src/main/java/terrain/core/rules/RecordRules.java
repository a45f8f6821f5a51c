// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import terrain.core.codec.WireException;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBodies;
import terrain.core.record.ResponseBody;
import terrain.core.ticket.TicketRecord;
import terrain.core.workshop.WorkshopAction;

/**
 * The one set of rules a record must pass to be stored, applied with this same code at every hop
 * (decision 0016): the kiosk checks its participation before it commits it (so it never says
 * "merci" for a record that would be refused), the hub and the server check every record they
 * receive before their transaction, and quarantine those that fail.
 *
 * <p>The rules are what the codecs alone let through but a hop's database or results cannot take:
 *
 * <ul>
 *   <li>a body that does not decode for its kind (RESPONSE, IDEA, TICKET, QUARANTINED), a
 *       DEVICE_KEY that is not 32 bytes;
 *   <li>a question answered twice in one response (its free answer's primary key);
 *   <li>in any text, U+0000 (PostgreSQL refuses it in a text column) or an unpaired surrogate (not
 *       encodable in UTF-8); in ids and the event id, any control character;
 *   <li>an empty poll, question or option id.
 * </ul>
 *
 * Lengths are the codecs' own limits ({@link Record#MAX_BODY_BYTES}, 64 bytes per id, 2000 per
 * answer text), which fit the databases' columns.
 */
public final class RecordRules {
  /** Longest value quoted in a message, in characters. */
  private static final int QUOTE_CHARS = 40;

  private static final int DEVICE_KEY_BYTES = 32;

  private RecordRules() {}

  /** Why {@code record} cannot be stored, or empty when it passes every rule. */
  public static Optional<String> problem(Record record) {
    return problem(record.kind(), record.eventId(), record.body());
  }

  /**
   * As {@link #problem(Record)}, decoding a response's body through {@code bodies}, where the
   * receiver's hooks find it decoded (decision 0044).
   */
  public static Optional<String> problem(Record record, ResponseBodies bodies) {
    try {
      check(record.kind(), record.eventId(), record.body(), bodies);
      return Optional.empty();
    } catch (RecordRuleException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** As {@link #problem(Record)} for a record's content, before it has an identity. */
  public static Optional<String> problem(RecordKind kind, String eventId, byte[] body) {
    try {
      check(kind, eventId, body);
      return Optional.empty();
    } catch (RecordRuleException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Checks a record's content.
   *
   * @throws RecordRuleException naming the field, the value and the rule broken
   */
  public static void check(RecordKind kind, String eventId, byte[] body)
      throws RecordRuleException {
    check(kind, eventId, body, null);
  }

  private static void check(RecordKind kind, String eventId, byte[] body, ResponseBodies bodies)
      throws RecordRuleException {
    if (eventId.length() > 64) {
      throw new RecordRuleException("event id " + quote(eventId) + " is longer than 64 characters");
    }
    id("event id", null, eventId, true);
    try {
      switch (kind) {
        case RESPONSE -> response(bodies == null ? ResponseBody.decode(body) : bodies.decode(body));
        case IDEA -> idea(IdeaBody.decode(body));
        case TICKET -> TicketRecord.decode(body);
        case QUARANTINED -> QuarantineNotice.decode(body);
        case WORKSHOP -> workshop(WorkshopAction.decode(body));
        case DEVICE_KEY -> {
          if (body.length != DEVICE_KEY_BYTES) {
            throw new RecordRuleException(
                "device key body is "
                    + body.length
                    + " bytes; an Ed25519 public key is "
                    + DEVICE_KEY_BYTES);
          }
        }
        case ATTENDANCE, STATUS -> {
          // No receiver reads these bodies yet: their size is bounded by Record.
        }
      }
    } catch (WireException e) {
      throw new RecordRuleException(
          kind.name().toLowerCase(java.util.Locale.ROOT)
              + " body does not decode: "
              + printable(e.getMessage(), 300));
    }
  }

  /** Up to this many answers, a question answered twice is looked for pairwise, without a set. */
  private static final int PAIRWISE = 16;

  /** Checks a response; allocates nothing when it passes (the server checks every one). */
  private static void response(ResponseBody body) throws RecordRuleException {
    id("poll id", null, body.pollId(), false);
    List<ResponseBody.Answer> answers = body.answers();
    Set<String> questions = answers.size() > PAIRWISE ? new HashSet<>() : null;
    for (int i = 0; i < answers.size(); i++) {
      ResponseBody.Answer answer = answers.get(i);
      String question = answer.questionId();
      id("question id", null, question, false);
      if (questions != null ? !questions.add(question) : answeredBefore(answers, i)) {
        throw new RecordRuleException(
            "question "
                + quote(question)
                + " is answered twice in one response; a response holds one answer per question");
      }
      List<String> options = answer.optionIds();
      for (int j = 0; j < options.size(); j++) { // indexed: no iterator per answer
        id("option id", question, options.get(j), false);
      }
      if (answer.text().isPresent()) {
        text("answer text", question, answer.text().get());
      }
    }
  }

  /** Whether an answer before {@code index} is to the same question. */
  private static boolean answeredBefore(List<ResponseBody.Answer> answers, int index) {
    String question = answers.get(index).questionId();
    for (int j = 0; j < index; j++) {
      if (question.equals(answers.get(j).questionId())) {
        return true;
      }
    }
    return false;
  }

  private static void idea(IdeaBody idea) throws RecordRuleException {
    id("idea poll id", null, idea.pollId(), false);
    id("idea theme id", null, idea.themeId(), true);
    id("idea language", null, idea.language(), false);
    text("idea title", null, idea.title());
    text("idea text", null, idea.text());
  }

  private static void workshop(WorkshopAction action) throws RecordRuleException {
    id("workshop phase id", null, action.phaseId(), false);
    if (action instanceof WorkshopAction.Idea idea) {
      id("workshop idea language", null, idea.language(), false);
      text("workshop idea text", null, idea.text());
    } else if (action instanceof WorkshopAction.NewGroup group) {
      text("workshop group title", null, group.title());
    } else if (action instanceof WorkshopAction.Rename rename) {
      text("workshop group title", null, rename.title());
    } else if (action instanceof WorkshopAction.Attend attend) {
      id("workshop age band", null, attend.ageBand(), true);
      id("workshop neighbourhood", null, attend.neighbourhood(), true);
    }
  }

  /**
   * The name of a field in a message, {@code field} or "{@code field} of question [q]": built only
   * for a message, quoting costs more than the check.
   */
  private static String name(String field, String question) {
    return question == null ? field : field + " of question " + quote(question);
  }

  /**
   * An id: no control character, no unpaired surrogate, and not empty unless allowed.
   *
   * @param question the question whose field it is, named in a message, or null
   */
  private static void id(String field, String question, String value, boolean mayBeEmpty)
      throws RecordRuleException {
    if (value.isEmpty() && !mayBeEmpty) {
      throw new RecordRuleException(
          name(field, question) + " is empty; an id has 1 to 64 characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new RecordRuleException(
            name(field, question)
                + " "
                + quote(value)
                + " holds the control character "
                + codePoint(c)
                + " at index "
                + i
                + "; an id has none");
      }
    }
    surrogates(field, question, value);
  }

  /** A free text: tabs and line breaks are fine; U+0000 and other controls are not. */
  private static void text(String field, String question, String value) throws RecordRuleException {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        throw new RecordRuleException(
            name(field, question)
                + " "
                + quote(value)
                + " holds the control character "
                + codePoint(c)
                + " at index "
                + i
                + (c == 0
                    ? "; U+0000 cannot be stored in a database text"
                    : "; a text has none but tabs and line breaks"));
      }
    }
    surrogates(field, question, value);
  }

  private static void surrogates(String field, String question, String value)
      throws RecordRuleException {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(++i))
              : !Character.isLowSurrogate(c);
      if (!paired) {
        throw new RecordRuleException(
            name(field, question)
                + " "
                + quote(value)
                + " holds an unpaired surrogate "
                + codePoint(c)
                + " at index "
                + i
                + "; it cannot be written in UTF-8");
      }
    }
  }

  /**
   * {@code value} with every control character and unpaired surrogate replaced by U+FFFD, cut to at
   * most {@code maxBytes} UTF-8 bytes on a character boundary: safe in any database text and log.
   */
  public static String printable(String value, int maxBytes) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), maxBytes));
    int bytes = 0;
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE) {
        cp = 0xFFFD;
      }
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; // its UTF-8 length
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      out.appendCodePoint(cp);
    }
    return out.toString();
  }

  /** {@code [value]}, printable and cut to {@value #QUOTE_CHARS} characters. */
  private static String quote(String value) {
    String shown = value.length() > QUOTE_CHARS ? value.substring(0, QUOTE_CHARS) + "…" : value;
    return "[" + printable(shown, QUOTE_CHARS * 4) + "]";
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }
}

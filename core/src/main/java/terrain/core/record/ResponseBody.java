// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.record;

import java.util.ArrayList;
import java.util.List;
import terrain.core.wire.ByteReader;
import terrain.core.wire.ByteWriter;
import terrain.core.wire.WireException;

/**
 * The content of a {@link RecordKind#RESPONSE} record: one resident's completed participation in a
 * poll. Ids are written in full (not as indexes into the event file) so that a response stays
 * readable even if the event file is edited after the market day.
 *
 * <pre>
 * u8      format version (1)
 * text    poll id
 * varint  number of answers, then for each answer:
 *   text    question id
 *   varint  number of chosen options, then each option id as text (in the order given:
 *           for a ranking, the order is the rank)
 * </pre>
 */
public record ResponseBody(String pollId, List<Answer> answers) {
  public static final int VERSION = 1;
  private static final int MAX_ID_BYTES = 64;
  private static final int MAX_ANSWERS = 200;
  private static final int MAX_OPTIONS = 200;

  /** The options one resident chose for one question. */
  public record Answer(String questionId, List<String> optionIds) {
    public Answer {
      optionIds = List.copyOf(optionIds);
    }
  }

  public ResponseBody {
    answers = List.copyOf(answers);
  }

  public byte[] encode() {
    ByteWriter out = new ByteWriter(16 + answers.size() * 24);
    out.u8(VERSION).text(pollId).varint(answers.size());
    for (Answer answer : answers) {
      out.text(answer.questionId()).varint(answer.optionIds().size());
      for (String option : answer.optionIds()) {
        out.text(option);
      }
    }
    return out.toByteArray();
  }

  public static ResponseBody decode(byte[] body) throws WireException {
    ByteReader in = new ByteReader(body);
    int version = in.u8("response version");
    if (version != VERSION) {
      throw new WireException(
          "response format version " + version + " is not supported (this build reads 1)");
    }
    String poll = in.text("poll id", MAX_ID_BYTES);
    int count = in.count("answer count", MAX_ANSWERS);
    List<Answer> answers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String question = in.text("question id", MAX_ID_BYTES);
      int options = in.count("option count", MAX_OPTIONS);
      List<String> chosen = new ArrayList<>(options);
      for (int j = 0; j < options; j++) {
        chosen.add(in.text("option id", MAX_ID_BYTES));
      }
      answers.add(new Answer(question, chosen));
    }
    in.expectEnd("response");
    return new ResponseBody(poll, answers);
  }
}

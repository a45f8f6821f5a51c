// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.record.ResponseBody.Answer;

class RecordRulesTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

  /** QuarantineNotice(hub-1, RESPONSE, "bad"). */
  private static final byte[] GOLDEN_NOTICE =
      HEX.parseHex(
          "01" // format version 1
              + " 01" // the quarantined record's kind: RESPONSE
              + " 05 68 75 62 2d 31" // hop "hub-1"
              + " 03 62 61 64"); // reason "bad"

  private static Optional<String> response(Answer... answers) {
    return RecordRules.problem(
        RecordKind.RESPONSE, "ev-1", new ResponseBody("poll-1", List.of(answers)).encode());
  }

  @Test
  void problem_whenGoodRecordsOfEveryKind_isEmpty() {
    assertEquals(
        Optional.empty(),
        response(
            new Answer("q1", List.of("a", "b")),
            Answer.text("q2", "deux lignes\n\tet un tab, émoji 🙂"),
            Answer.pin("q3", new ResponseBody.Pin(10, 990), Optional.of("gare"))));
    assertEquals(
        Optional.empty(),
        RecordRules.problem(
            RecordKind.IDEA, "ev-1", new IdeaBody("p", "", "ar", "", "فكرة").encode()));
    assertEquals(Optional.empty(), RecordRules.problem(RecordKind.DEVICE_KEY, "", new byte[32]));
    assertEquals(
        Optional.empty(),
        RecordRules.problem(
            new Record(
                DeviceId.of("k1"),
                1,
                RecordKind.QUARANTINED,
                "ev-1",
                1,
                0,
                new QuarantineNotice(DeviceId.of("hub-1"), RecordKind.IDEA, "why").encode())));
  }

  @Test
  void problem_whenManyAnswersAndOneQuestionTwice_findsItWhereverItIs() {
    // Below and above the count where duplicates are looked for with a set instead of pairwise.
    for (int answers : new int[] {2, 16, 17, 60}) {
      for (int twice = 1; twice < answers; twice += Math.max(1, answers / 7)) {
        Answer[] all = new Answer[answers];
        for (int i = 0; i < answers; i++) {
          all[i] = new Answer("q" + i, List.of("a"));
        }
        assertEquals(Optional.empty(), response(all), answers + " answers, all different");
        all[twice] = new Answer("q" + (twice / 2), List.of("b"));
        assertEquals(
            "question [q"
                + twice / 2
                + "] is answered twice in one response; a response holds one answer per question",
            response(all).orElseThrow(),
            answers + " answers, the answer " + twice + " repeats q" + twice / 2);
      }
    }
  }

  @Test
  void problem_whenQuestionAnsweredTwice_namesTheQuestionAndTheRule() {
    String problem =
        response(new Answer("q1", List.of("a")), new Answer("q1", List.of("b"))).orElseThrow();

    assertEquals(
        "question [q1] is answered twice in one response; a response holds one answer per"
            + " question",
        problem);
  }

  @Test
  void problem_whenTextHoldsNul_namesTheFieldThePositionAndWhy() {
    String problem = response(Answer.text("q-idea", "ab\u0000c")).orElseThrow();

    assertEquals(
        "answer text of question [q-idea] [ab\uFFFDc] holds the control character U+0000 at"
            + " index 2; U+0000 cannot be stored in a database text",
        problem);
  }

  @Test
  void problem_whenIdHoldsAControlCharacterOrIsEmpty_refusesIt() {
    assertTrue(
        response(new Answer("q\u001b1", List.of("a"))).orElseThrow().startsWith("question id"));
    assertTrue(
        response(new Answer("q1", List.of(""))).orElseThrow().startsWith("option id of question"));
    assertTrue(
        RecordRules.problem(RecordKind.DEVICE_KEY, "ev\u0000", new byte[32])
            .orElseThrow()
            .startsWith("event id [ev\uFFFD] holds the control character U+0000"));
  }

  @Test
  void problem_whenIdeaTextHoldsNul_refusesIt() {
    byte[] body =
        new ByteWriter(32)
            .u8(1)
            .text("p")
            .text("")
            .text("fr")
            .text("t\u0000")
            .text("x")
            .toByteArray();

    assertTrue(
        RecordRules.problem(RecordKind.IDEA, "ev-1", body).orElseThrow().startsWith("idea title"));
  }

  @Test
  void problem_whenSurrogateEncodedAsUtf8Bytes_isRefusedAsNotUtf8() {
    // U+D800 written as three bytes (CESU-8): Java's strict decoder refuses it, so an unpaired
    // surrogate never reaches the text rule from the wire; the rule guards strings made on a
    // kiosk.
    byte[] body = HEX.parseHex("01 06 70 6f 6c 6c 2d 31 01 02 71 31 01 03 ed a0 80");

    assertTrue(
        RecordRules.problem(RecordKind.RESPONSE, "ev-1", body)
            .orElseThrow()
            .contains("is not valid UTF-8"));
  }

  @Test
  void check_whenBodyDoesNotDecodeOrKeyHasWrongSize_throwsWithTheKind() {
    RecordRuleException garbage =
        assertThrows(
            RecordRuleException.class,
            () -> RecordRules.check(RecordKind.TICKET, "ev-1", new byte[] {9, 9}));
    assertTrue(
        garbage.getMessage().startsWith("ticket body does not decode: "), garbage.getMessage());
    assertEquals(
        "device key body is 31 bytes; an Ed25519 public key is 32",
        RecordRules.problem(RecordKind.DEVICE_KEY, "", new byte[31]).orElseThrow());
  }

  @Test
  void printable_replacesControlsAndLoneSurrogatesAndCutsOnACharacterBoundary() {
    assertEquals("a\uFFFDb\uFFFD", RecordRules.printable("a\u0000b\uD800", 100));
    assertEquals("é", RecordRules.printable("éé", 3), "é is 2 bytes: the second does not fit");
    assertEquals("🙂", RecordRules.printable("🙂🙂", 7));
  }

  @Test
  void notice_encodesToGoldenBytesAndBack() throws Exception {
    QuarantineNotice notice =
        new QuarantineNotice(DeviceId.of("hub-1"), RecordKind.RESPONSE, "bad");

    assertArrayEquals(GOLDEN_NOTICE, notice.encode());
    assertEquals(notice, QuarantineNotice.decode(GOLDEN_NOTICE));
  }

  @Test
  void notice_whenReasonTooLongOrNotPrintable_isCutAndCleanedOrRefusedOnDecode() {
    QuarantineNotice cut =
        new QuarantineNotice(DeviceId.of("hub-1"), RecordKind.IDEA, "x".repeat(500) + "\u0000");
    assertEquals(QuarantineNotice.MAX_REASON_BYTES, cut.reason().length());

    byte[] withNul = GOLDEN_NOTICE.clone();
    withNul[withNul.length - 1] = 0;
    assertThrows(WireException.class, () -> QuarantineNotice.decode(withNul));
  }
}

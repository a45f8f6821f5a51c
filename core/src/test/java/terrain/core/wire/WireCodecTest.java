// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import terrain.core.codec.ByteWriter;
import terrain.core.codec.WireException;
import terrain.core.codec.WireLimitException;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;

class WireCodecTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

  private static final byte[] GOLDEN_BODY =
      HEX.parseHex(
          "01" // response format version 1
              + " 01 70" // poll id "p"
              + " 01" // 1 answer
              + " 01 71" // question id "q"
              + " 01 01 61"); // 1 option: "a"

  /** A map pin in a zone and a free text: what version 1 cannot carry. */
  private static final byte[] GOLDEN_BODY_V2 =
      HEX.parseHex(
          "02" // response format version 2
              + " 01 70" // poll id "p"
              + " 02" // 2 answers
              + " 01 6d" // question id "m"
              + " 01 01 7a" // 1 option: zone "z"
              + " 01" // flags: a pin follows
              + " fa 01" // pin x = 250 per mille (varint)
              + " e8 07" // pin y = 1000 per mille (varint)
              + " 01 74" // question id "t"
              + " 00" // no option
              + " 02" // flags: a text follows
              + " 03 c3 a9 21"); // text "é!" (3 UTF-8 bytes)

  private static final byte[] GOLDEN_BATCH =
      HEX.parseHex(
          "54 01 01 00" // magic 'T', version 1, type batch, flags: not compressed
              + " 02 6b 31" // sender "k1"
              + " 07" // batch id 7
              + " 02 02 6b 31 02 65 76" // 2 strings: "k1", "ev"
              + " 01" // 1 record
              + " 01" // kind RESPONSE
              + " 00 01" // device = string 0, event = string 1
              + " 0a" // seq delta +5 (zigzag 10)
              + " d0 0f" // device time delta +1000 ms (zigzag 2000)
              + " 00" // hub time delta 0
              + " 09 01 01 70 01 01 71 01 01 61"); // body: 9 bytes

  private static final byte[] GOLDEN_ACK =
      HEX.parseHex(
          "54 01 02 00" // magic, version 1, type ack, no flags
              + " 03 68 75 62" // receiver "hub"
              + " 07" // batch id 7
              + " 01 02 6b 31 05"); // 1 entry: "k1" up to 5

  private static Record goldenRecord() {
    return new Record(DeviceId.of("k1"), 5, RecordKind.RESPONSE, "ev", 1000, 0, GOLDEN_BODY);
  }

  @Test
  void encodeBody_whenGoldenResponse_matchesGoldenBytes() throws Exception {
    ResponseBody body = new ResponseBody("p", List.of(new ResponseBody.Answer("q", List.of("a"))));
    assertArrayEquals(GOLDEN_BODY, body.encode());
    assertEquals(body, ResponseBody.decode(GOLDEN_BODY));
  }

  @Test
  void encodeBody_whenPinAndText_writesVersion2GoldenBytes() throws Exception {
    ResponseBody body =
        new ResponseBody(
            "p",
            List.of(
                ResponseBody.Answer.pin("m", new ResponseBody.Pin(250, 1000), Optional.of("z")),
                ResponseBody.Answer.text("t", "é!")));
    assertEquals(2, body.formatVersion());
    assertEquals(HEX.formatHex(GOLDEN_BODY_V2), HEX.formatHex(body.encode()));
    assertEquals(body, ResponseBody.decode(GOLDEN_BODY_V2));
  }

  @Test
  void encodeBody_whenOnlyOptions_staysVersion1ForOlderReaders() {
    ResponseBody ranking =
        new ResponseBody("p", List.of(new ResponseBody.Answer("r", List.of("b", "a", "c"))));
    assertEquals(1, ranking.formatVersion());
    assertEquals(1, ranking.encode()[0]);
  }

  @Test
  void decodeBody_whenVersion2HasUnknownFlag_rejectsWithTheBits() {
    byte[] bad = GOLDEN_BODY_V2.clone();
    bad[9] = 0x05; // flags of the first answer: pin plus an unknown bit 2
    WireException e = assertThrows(WireException.class, () -> ResponseBody.decode(bad));
    assertTrue(e.getMessage().contains("answer flags 0x5"), e.getMessage());
  }

  @Test
  void decodeBody_whenPinOffTheMap_rejects() {
    byte[] bad = GOLDEN_BODY_V2.clone();
    bad[12] = (byte) 0xe9; // y = 1001 per mille
    WireException e = assertThrows(WireException.class, () -> ResponseBody.decode(bad));
    assertTrue(e.getMessage().contains("off the map"), e.getMessage());
  }

  @Test
  void decodeBody_whenVersion2Truncated_rejects() {
    byte[] cut = java.util.Arrays.copyOf(GOLDEN_BODY_V2, GOLDEN_BODY_V2.length - 1);
    assertThrows(WireException.class, () -> ResponseBody.decode(cut));
  }

  @Test
  void decodeBody_whenVersion3_saysWhichVersionsAreRead() {
    byte[] future = GOLDEN_BODY.clone();
    future[0] = 3;
    WireException e = assertThrows(WireException.class, () -> ResponseBody.decode(future));
    assertTrue(e.getMessage().contains("reads 1 and 2"), e.getMessage());
  }

  @Test
  void encodeBody_whenLongestText_roundTrips() throws Exception {
    String text = "é".repeat(500);
    ResponseBody body = new ResponseBody("p", List.of(ResponseBody.Answer.text("t", text)));
    assertEquals(body, ResponseBody.decode(body.encode()));
  }

  @Test
  void encodeBatch_whenGoldenRecord_matchesGoldenBytes() throws Exception {
    byte[] encoded =
        WireCodec.encodeBatch(new Batch(DeviceId.of("k1"), 7, List.of(goldenRecord())));
    assertEquals(HEX.formatHex(GOLDEN_BATCH), HEX.formatHex(encoded));
    Batch decoded = WireCodec.decodeBatch(GOLDEN_BATCH);
    assertEquals(DeviceId.of("k1"), decoded.sender());
    assertEquals(7, decoded.batchId());
    assertEquals(List.of(goldenRecord()), decoded.records());
  }

  @Test
  void encodeAck_whenGoldenAck_matchesGoldenBytes() throws Exception {
    Ack ack = new Ack(DeviceId.of("hub"), 7, Map.of(DeviceId.of("k1"), 5L));
    assertArrayEquals(GOLDEN_ACK, WireCodec.encodeAck(ack));
    assertEquals(ack, WireCodec.decodeAck(GOLDEN_ACK));
  }

  @Test
  void contentHash_whenGoldenRecord_isStable() {
    // Receivers compare this value with what they stored: changing it makes every record a
    // conflict.
    assertEquals(-2940078984995538571L, goldenRecord().contentHash());
  }

  @Test
  void contentHash_whenOnlyHubTimeDiffers_isEqual() {
    assertEquals(goldenRecord().contentHash(), goldenRecord().withHubTime(42).contentHash());
  }

  @Test
  void encodeBatch_whenManyRecords_compressesAndRoundTrips() throws Exception {
    List<Record> records = marketDay(3, 2000, 1);
    byte[] encoded = WireCodec.encodeBatch(new Batch(DeviceId.of("hub-1"), 1, records));
    assertEquals(WireCodec.FLAG_DEFLATE, encoded[3]);
    assertEquals(records, WireCodec.decodeBatch(encoded).records());
    double perRecord = (double) encoded.length / records.size();
    assertTrue(perRecord < 40, "uplink bytes per record: " + perRecord);
  }

  @Test
  void batchDecoder_whenReusedForLargeThenSmallBatches_decodesEachExactly() throws Exception {
    // The buffer keeps the largest batch's size: a smaller batch after it must not read the
    // larger one's leftover bytes (decision 0060).
    List<Record> large = marketDay(4, 2500, 1);
    List<Record> small = marketDay(1, 3, 2);
    try (WireCodec.BatchDecoder decoder = new WireCodec.BatchDecoder()) {
      assertEquals(
          large,
          decoder
              .decode(WireCodec.encodeBatch(new Batch(DeviceId.of("hub-1"), 1, large)))
              .records());
      Batch second =
          decoder.decode(WireCodec.encodeBatch(new Batch(DeviceId.of("hub-1"), 2, small)));
      assertEquals(2, second.batchId());
      assertEquals(small, second.records());
      assertEquals(goldenRecord(), decoder.decode(GOLDEN_BATCH).records().get(0));
      assertEquals(
          large,
          decoder
              .decode(WireCodec.encodeBatch(new Batch(DeviceId.of("hub-1"), 3, large)))
              .records());
    }
  }

  @Test
  void batchDecoder_afterARefusedMessage_decodesTheNextOne() throws Exception {
    List<Record> records = marketDay(2, 500, 1);
    byte[] good = WireCodec.encodeBatch(new Batch(DeviceId.of("hub-1"), 1, records));
    byte[] corrupt = good.clone();
    for (int i = 4; i < corrupt.length; i++) {
      corrupt[i] ^= (byte) 0x5A;
    }
    byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
    byte[] bomb = deflatedBatchMessage(new byte[WireCodec.MAX_INFLATED_BYTES + 1]);
    try (WireCodec.BatchDecoder decoder = new WireCodec.BatchDecoder()) {
      for (byte[] bad : List.of(corrupt, cut, bomb)) {
        assertThrows(WireException.class, () -> decoder.decode(bad));
        assertEquals(records, decoder.decode(good).records());
      }
    }
  }

  @Test
  void batchDecoder_whenClosed_refusesClearly() {
    WireCodec.BatchDecoder decoder = new WireCodec.BatchDecoder();
    decoder.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> decoder.decode(GOLDEN_BATCH));
    assertEquals("batch decoder closed", e.getMessage());
  }

  @Test
  void decodeAck_whenDeflated_readsTheSameAck() throws Exception {
    byte[] body = java.util.Arrays.copyOfRange(GOLDEN_ACK, 4, GOLDEN_ACK.length);
    assertEquals(WireCodec.decodeAck(GOLDEN_ACK), WireCodec.decodeAck(deflatedMessage(2, body)));
  }

  @Test
  void decodeBatch_whenEveryTruncation_rejectsWithReason() {
    byte[] encoded = GOLDEN_BATCH;
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = java.util.Arrays.copyOf(encoded, length);
      WireException e =
          assertThrows(
              WireException.class, () -> WireCodec.decodeBatch(truncated), "length " + length);
      assertTrue(e.getMessage().length() > 10, e.getMessage());
    }
  }

  @Test
  void decodeBatch_whenARecordRunsOut_namesThatRecordAndItsField() {
    byte[] truncated = java.util.Arrays.copyOf(GOLDEN_BATCH, GOLDEN_BATCH.length - 1);
    WireException e = assertThrows(WireException.class, () -> WireCodec.decodeBatch(truncated));
    assertTrue(
        e.getMessage().startsWith("message is truncated: record 0 body at offset"), e.getMessage());
  }

  @Test
  void decodeBatch_whenRandomBytes_neverThrowsAnythingButWireException() {
    SplittableRandom random = new SplittableRandom(42);
    byte[] valid = WireCodec.encodeBatch(new Batch(DeviceId.of("hub-1"), 1, marketDay(2, 50, 2)));
    for (int i = 0; i < 5000; i++) {
      byte[] mutated = valid.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      try {
        WireCodec.decodeBatch(mutated);
      } catch (WireException expected) {
        // rejected with a reason: fine
      }
    }
    byte[] noise = new byte[300];
    for (int i = 0; i < 2000; i++) {
      random.nextBytes(noise);
      noise[0] = 0x54;
      noise[1] = 1;
      noise[2] = 1;
      try {
        WireCodec.decodeBatch(noise);
      } catch (WireException expected) {
        // rejected with a reason: fine
      }
    }
  }

  @Test
  void decodeBatch_whenForeignPayload_saysItIsNotTerrain() {
    WireException e =
        assertThrows(WireException.class, () -> WireCodec.decodeBatch("{\"temp\":21}".getBytes()));
    assertTrue(e.getMessage().contains("not a Terrain payload"), e.getMessage());
  }

  @Test
  void decodeBatch_whenFutureVersion_saysToUpdate() {
    byte[] future = GOLDEN_BATCH.clone();
    future[1] = 2;
    WireException e = assertThrows(WireException.class, () -> WireCodec.decodeBatch(future));
    assertTrue(e.getMessage().contains("update Terrain"), e.getMessage());
  }

  @Test
  void decodeBatch_whenAck_rejectsType() {
    WireException e = assertThrows(WireException.class, () -> WireCodec.decodeBatch(GOLDEN_ACK));
    assertTrue(e.getMessage().contains("type 2"), e.getMessage());
  }

  @Test
  void decodeBatch_whenIndexOutOfRange_rejects() {
    byte[] bad = GOLDEN_BATCH.clone();
    bad[17] = 0x05; // device index 5 of 2 strings
    WireException e = assertThrows(WireException.class, () -> WireCodec.decodeBatch(bad));
    assertTrue(
        e.getMessage().startsWith("record 0 device index 5 is out of range (2 strings)"),
        e.getMessage());
  }

  @Test
  void decodeBatch_whenHugeCount_rejectsBeforeAllocating() {
    byte[] bad =
        HEX.parseHex("54 01 01 00 02 6b 31 07 ff ff ff ff 0f"); // 4 billion strings announced
    WireException e = assertThrows(WireException.class, () -> WireCodec.decodeBatch(bad));
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }

  @Test
  void decodeBatch_whenZipBomb_refusesQuicklyNamingTheInflatedLimit() {
    // 200 MB of zeros deflate to about 200 KB: under the message limit, far past the inflated one.
    byte[] message = deflatedBatchMessage(new byte[200 * 1024 * 1024]);
    assertTrue(message.length <= WireCodec.MAX_MESSAGE_BYTES, "bomb of " + message.length);
    long start = System.nanoTime();
    WireLimitException e =
        assertThrows(WireLimitException.class, () -> WireCodec.decodeBatch(message));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(WireLimitException.Limit.INFLATED_BYTES, e.limit());
    assertEquals(WireCodec.MAX_INFLATED_BYTES, e.max());
    assertTrue(e.getMessage().contains("INFLATED_BYTES"), e.getMessage());
    assertTrue(millis < 2_000, "took " + millis + " ms");
  }

  @Test
  void decodeBatch_whenInflatesJustPastTheLimit_refuses() {
    byte[] message = deflatedBatchMessage(new byte[WireCodec.MAX_INFLATED_BYTES + 1]);
    WireLimitException e =
        assertThrows(WireLimitException.class, () -> WireCodec.decodeBatch(message));
    assertEquals(WireLimitException.Limit.INFLATED_BYTES, e.limit());
  }

  @Test
  void decodeBatch_whenTooManyRecords_refusesNamingTheRecordLimit() {
    int count = WireCodec.MAX_RECORDS + 1;
    ByteWriter out = new ByteWriter(16 + count * 7);
    out.u8(0x54).u8(1).u8(1).u8(0).text("k1").varint(7).varint(2).text("k1").text("ev");
    out.varint(count);
    for (int i = 0; i < count; i++) {
      out.u8(1).varint(0).varint(1).zigzag(1).zigzag(0).zigzag(0).varint(0);
    }
    WireLimitException e =
        assertThrows(WireLimitException.class, () -> WireCodec.decodeBatch(out.toByteArray()));
    assertEquals(WireLimitException.Limit.RECORDS, e.limit());
    assertEquals(WireCodec.MAX_RECORDS, e.max());
  }

  @Test
  void decodeBatch_whenCountIsMoreThanTheBytesCanHold_refusesBeforeAllocating() {
    byte[] bad = HEX.parseHex("54 01 01 00 02 6b 31 07 02 02 6b 31 02 65 76 a8 46"); // 9,000
    WireException e = assertThrows(WireException.class, () -> WireCodec.decodeBatch(bad));
    assertTrue(e.getMessage().contains("announces 9000"), e.getMessage());
  }

  @Test
  void decodeBatch_whenRecordBodyPastItsLimit_refusesNamingTheBodyLimit() {
    byte[] bad =
        HEX.parseHex("54 01 01 00 02 6b 31 07 02 02 6b 31 02 65 76 01 01 00 01 0a 00 00 81 fa 01");
    WireLimitException e = assertThrows(WireLimitException.class, () -> WireCodec.decodeBatch(bad));
    assertTrue(
        e.getMessage().startsWith("record 0 body length at offset 18 is 32001"), e.getMessage());
    assertEquals(WireLimitException.Limit.RECORD_BODY_BYTES, e.limit());
    assertEquals(Record.MAX_BODY_BYTES, e.max());
  }

  @Test
  void decodeBatch_whenMessagePastTheMessageLimit_refusesBeforeInflating() {
    byte[] big = new byte[WireCodec.MAX_MESSAGE_BYTES + 1];
    big[0] = 0x54;
    big[1] = 1;
    big[2] = 1;
    big[3] = 1;
    WireLimitException e = assertThrows(WireLimitException.class, () -> WireCodec.decodeBatch(big));
    assertEquals(WireLimitException.Limit.MESSAGE_BYTES, e.limit());
  }

  @Test
  void encodeBatch_whenPastTheRecordLimit_refusesToBuildIt() {
    List<Record> records = smallRecords(WireCodec.MAX_RECORDS + 1);
    assertThrows(
        IllegalArgumentException.class,
        () -> WireCodec.encodeBatch(new Batch(DeviceId.of("hub-1"), 1, records)));
  }

  @Test
  void encodeLeadingBatch_whenManySmallRecords_takesAtMostTheRecordLimit() throws Exception {
    List<Record> records = smallRecords(WireCodec.MAX_RECORDS + 500);
    WireCodec.Encoded encoded = WireCodec.encodeLeadingBatch(DeviceId.of("hub-1"), 1, records);
    assertEquals(WireCodec.MAX_RECORDS, encoded.records());
    Batch decoded = WireCodec.decodeBatch(encoded.payload());
    assertEquals(records.subList(0, WireCodec.MAX_RECORDS), decoded.records());
  }

  @Test
  void encodeLeadingBatch_whenBodiesDoNotCompress_staysUnderTheMessageLimit() throws Exception {
    SplittableRandom random = new SplittableRandom(14);
    List<Record> records = new ArrayList<>();
    for (int seq = 1; seq <= 40; seq++) {
      byte[] body = new byte[Record.MAX_BODY_BYTES];
      random.nextBytes(body);
      records.add(new Record(DeviceId.of("k1"), seq, RecordKind.RESPONSE, "ev", seq, 0, body));
    }
    int sent = 0;
    while (sent < records.size()) {
      WireCodec.Encoded encoded =
          WireCodec.encodeLeadingBatch(DeviceId.of("k1"), sent, records.subList(sent, 40));
      assertTrue(encoded.payload().length <= WireCodec.MAX_MESSAGE_BYTES);
      assertTrue(encoded.records() >= 1);
      assertEquals(
          records.subList(sent, sent + encoded.records()),
          WireCodec.decodeBatch(encoded.payload()).records());
      sent += encoded.records();
    }
  }

  private static List<Record> smallRecords(int count) {
    List<Record> records = new ArrayList<>(count);
    for (int seq = 1; seq <= count; seq++) {
      records.add(
          new Record(DeviceId.of("k1"), seq, RecordKind.RESPONSE, "ev", seq, 0, GOLDEN_BODY));
    }
    return records;
  }

  private static byte[] deflatedBatchMessage(byte[] body) {
    return deflatedMessage(1, body);
  }

  /** A message of {@code type} whose body is deflated, flagged so. */
  private static byte[] deflatedMessage(int type, byte[] body) {
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(9, true);
    deflater.setInput(body);
    deflater.finish();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(0x54);
    out.write(1);
    out.write(type);
    out.write(1);
    byte[] buffer = new byte[1 << 16];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }

  /** Seeded market-day responses of a 4-question poll, as kiosks record them. */
  static List<Record> marketDay(int devices, int perDevice, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Record> out = new ArrayList<>();
    long time = 1_795_000_000_000L;
    for (int d = 1; d <= devices; d++) {
      for (int seq = 1; seq <= perDevice; seq++) {
        time += 5_000 + random.nextInt(60_000);
        ResponseBody body =
            new ResponseBody(
                "marche",
                List.of(
                    new ResponseBody.Answer(
                        "venue", List.of(pick(random, "pied", "velo", "bus", "voiture"))),
                    new ResponseBody.Answer(
                        "attentes",
                        List.of(pick(random, "bio", "horaires", "halle", "animations"))),
                    new ResponseBody.Answer(
                        "satisfaction", List.of(pick(random, "1", "2", "3", "4", "5"))),
                    new ResponseBody.Answer("revenir", List.of(pick(random, "yes", "no")))));
        out.add(
            new Record(
                DeviceId.of("kiosk-" + d),
                seq,
                RecordKind.RESPONSE,
                "marche-2026-11-28",
                time,
                time + 200,
                body.encode()));
      }
    }
    return out;
  }

  private static String pick(SplittableRandom random, String... options) {
    return options[random.nextInt(options.length)];
  }
}

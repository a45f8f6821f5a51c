// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import terrain.core.codec.WireException;
import terrain.core.record.DeviceId;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.ticket.TicketRecord;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.WireCodec;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;

/**
 * The wire codec and the record bodies it carries, fuzzed: from valid messages mutated, bodies
 * mutated before deflate, and random bytes after a valid header, decoding gives a value or a {@link
 * WireException}; never another exception, a hang or an out-of-memory. The corpus in {@code
 * fuzz/wire} and {@code fuzz/body} is replayed every run.
 */
class WireFuzzTest {
  private static final Fuzz FUZZ = new Fuzz(Duration.ofSeconds(5));
  private static final DeviceId KIOSK = DeviceId.of("kiosk-01");
  private static final DeviceId HUB = DeviceId.of("hub-est");

  @AfterContainer
  static void stop() {
    FUZZ.close();
  }

  /** Valid messages of several shapes: one record, several devices and events, deflated. */
  static List<byte[]> validMessages() {
    List<byte[]> out = new ArrayList<>();
    out.add(WireCodec.encodeBatch(new Batch(KIOSK, 1, List.of(record(KIOSK, 1, "ev-1", body())))));
    List<Record> mixed = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      DeviceId device = i % 3 == 0 ? HUB : KIOSK;
      mixed.add(
          record(device, i, i % 2 == 0 ? "marche-2026" : "fete", i % 4 == 0 ? idea() : body()));
    }
    out.add(WireCodec.encodeBatch(new Batch(HUB, 77, mixed)));
    out.add(WireCodec.encodeBatch(new Batch(HUB, 0, List.of())));
    out.add(WireCodec.encodeAck(new Ack(HUB, 77, Map.of(KIOSK, 12L, HUB, 3L))));
    return out;
  }

  /** The record bodies the server decodes: responses, ideas, tickets. */
  static List<byte[]> validBodies() {
    return List.of(
        body(),
        idea(),
        new TicketRecord("ABCDEFGHIJKLMNOP", new byte[64]).encode(),
        new ResponseBody(
                "p",
                List.of(
                    ResponseBody.Answer.pin("m", new ResponseBody.Pin(250, 1000), Optional.of("z")),
                    ResponseBody.Answer.text("t", "é!")))
            .encode(),
        new WorkshopAction.Idea("idees", 3, "fr", "Un banc à l'ombre").encode(),
        new WorkshopAction.Place(
                "groupes",
                new ItemRef(KIOSK, 7),
                Optional.of(new ItemRef(DeviceId.of("tablette-2"), 12)))
            .encode(),
        new WorkshopAction.Vote("vote", "p-12ab", new ItemRef(KIOSK, 9), 2).encode(),
        new WorkshopAction.Control("vote", WorkshopAction.Command.EXTEND, 120).encode());
  }

  @Property(seed = Fuzz.SEED)
  void decode_whenAValidMessageIsMutated_givesAValueOrAWireException(
      @ForAll("messages") byte[] valid, @ForAll("edits") List<Mutation> edits) {
    decodeAll(Mutation.apply(valid, edits));
  }

  @Property(seed = Fuzz.SEED)
  void decode_whenTheBodyIsMutatedBeforeDeflate_givesAValueOrAWireException(
      @ForAll("messages") byte[] valid, @ForAll("edits") List<Mutation> edits) {
    byte[] body = Mutation.apply(Arrays.copyOfRange(valid, 4, valid.length), edits);
    byte[] message = concat(Arrays.copyOf(valid, 4), deflate(body));
    message[3] = (byte) WireCodec.FLAG_DEFLATE;
    decodeAll(message);
  }

  @Property(seed = Fuzz.SEED)
  void decode_whenRandomBytesFollowAValidHeader_givesAValueOrAWireException(
      @ForAll @Size(max = 600) byte[] rest, @ForAll boolean batch, @ForAll boolean deflated) {
    byte[] header = {
      (byte) WireCodec.MAGIC,
      (byte) WireCodec.VERSION,
      (byte) (batch ? WireCodec.TYPE_BATCH : WireCodec.TYPE_ACK),
      (byte) (deflated ? WireCodec.FLAG_DEFLATE : 0)
    };
    decodeAll(concat(header, deflated ? deflate(rest) : rest));
  }

  @Property(seed = Fuzz.SEED)
  void decodeBody_whenAValidBodyIsMutated_givesABodyOrAWireException(
      @ForAll("bodies") byte[] valid, @ForAll("edits") List<Mutation> edits) {
    decodeBodies(Mutation.apply(valid, edits));
  }

  @Example
  void corpus_whenReplayed_everyInputGivesAValueOrAWireException() throws Exception {
    for (Path file : Fuzz.corpus("wire")) {
      decodeAll(Files.readAllBytes(file));
    }
    for (Path file : Fuzz.corpus("body")) {
      decodeBodies(Files.readAllBytes(file));
    }
  }

  @Provide
  Arbitrary<byte[]> messages() {
    return Arbitraries.of(validMessages());
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.of(validBodies());
  }

  @Provide
  Arbitrary<List<Mutation>> edits() {
    return Mutation.lists(8);
  }

  static void decodeAll(byte[] message) {
    String input = Fuzz.hex(message);
    FUZZ.decodes(input, WireException.class, () -> WireCodec.decodeBatch(message));
    FUZZ.decodes(input, WireException.class, () -> WireCodec.decodeAck(message));
  }

  static void decodeBodies(byte[] body) {
    String input = Fuzz.hex(body);
    FUZZ.decodes(input, WireException.class, () -> ResponseBody.decode(body));
    FUZZ.decodes(input, WireException.class, () -> IdeaBody.decode(body));
    FUZZ.decodes(input, WireException.class, () -> TicketRecord.decode(body));
    FUZZ.decodes(input, WireException.class, () -> WorkshopAction.decode(body));
  }

  private static Record record(DeviceId device, long seq, String event, byte[] body) {
    return new Record(device, seq, RecordKind.RESPONSE, event, 1_700_000_000_000L + seq, 0, body);
  }

  private static byte[] body() {
    return new ResponseBody(
            "avis", List.of(new ResponseBody.Answer("q-mode", List.of("yes", "no", "yes"))))
        .encode();
  }

  private static byte[] idea() {
    return new IdeaBody("idees", "parc", "fr", "Un banc", "Un banc à l'ombre du tilleul").encode();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }
}

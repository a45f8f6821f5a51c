// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.ticket.Ticket;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketException;

/**
 * The ticket codec fuzzed: codes and ticket addresses as scanned or typed, mutated from valid ones
 * or made of the code's alphabet at random, give a ticket or a {@link TicketException}; never
 * another exception, a hang or an out-of-memory. The corpus in {@code fuzz/ticket} (one input per
 * line) is replayed every run.
 */
class TicketFuzzTest {
  private static final Fuzz FUZZ = new Fuzz(Duration.ofSeconds(5));
  private static final DeviceKeys KEYS = DeviceKeys.fromSeed(new byte[32]);

  @AfterContainer
  static void stop() {
    FUZZ.close();
  }

  static List<String> validInputs() {
    String market =
        TicketCodec.encode(
            Ticket.of(
                DeviceId.of("kiosk-01"),
                42,
                EventId.of("marche-2026-11-28"),
                "response",
                2,
                1_795_860_900L,
                180,
                false),
            KEYS.privateKey());
    String golden =
        TicketCodec.encode(
            Ticket.of(
                DeviceId.of("hub-est"),
                Long.MAX_VALUE / 3,
                EventId.of("fete"),
                "attendance",
                Ticket.MAX_BRIQS,
                0,
                Ticket.MAX_VALIDITY_DAYS,
                true),
            KEYS.privateKey());
    return List.of(
        market,
        golden,
        TicketCodec.url("briqs.example.fr", market),
        market.toLowerCase(java.util.Locale.ROOT).replace("o", "0"),
        market.substring(0, TicketCodec.SHORT_CODE_LENGTH));
  }

  @Property(seed = Fuzz.SEED)
  void parse_whenAValidCodeIsMutated_givesATicketOrATicketException(
      @ForAll("codes") String valid, @ForAll("edits") List<Mutation> edits) {
    byte[] bytes = valid.getBytes(StandardCharsets.ISO_8859_1);
    parseAll(new String(Mutation.apply(bytes, edits), StandardCharsets.ISO_8859_1));
  }

  @Property(seed = Fuzz.SEED)
  void parse_whenTheCodeIsRandomOverItsAlphabet_givesATicketOrATicketException(
      @ForAll("alphabet") String code) {
    parseAll(code);
  }

  @Property(seed = Fuzz.SEED)
  void parse_whenTheInputIsAnyText_givesATicketOrATicketException(@ForAll String text) {
    parseAll(text);
  }

  @Example
  void corpus_whenReplayed_everyInputGivesATicketOrATicketException() throws Exception {
    for (Path file : Fuzz.corpus("ticket")) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        parseAll(line);
      }
    }
  }

  @Provide
  Arbitrary<String> codes() {
    return Arbitraries.of(validInputs());
  }

  @Provide
  Arbitrary<List<Mutation>> edits() {
    return Mutation.lists(6);
  }

  @Provide
  Arbitrary<String> alphabet() {
    return Arbitraries.strings()
        .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567018abcz -/:.")
        .ofMaxLength(200);
  }

  static void parseAll(String input) {
    String shown = "[" + input + "]";
    FUZZ.decodes(shown, TicketException.class, () -> TicketCodec.parse(input));
    FUZZ.decodes(shown, TicketException.class, () -> TicketCodec.shortCode(input));
    FUZZ.decodes(shown, TicketException.class, () -> TicketCodec.normalizeShortCode(input));
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import terrain.core.event.Rewards;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.TicketException.Reason;

class TicketCodecTest {

  private static final HexFormat HEX = HexFormat.of();

  private static final Ticket MARKET_TICKET =
      Ticket.of(
          DeviceId.of("kiosk-01"),
          42,
          EventId.of("marche-2026-11-28"),
          "response",
          2,
          Instant.parse("2026-11-28T10:15:00Z").getEpochSecond(),
          180,
          false);

  /** The payload of {@link #MARKET_TICKET}, 38 bytes. */
  private static final String MARKET_PAYLOAD =
      "01" // version 1
          + "08"
          + "6b696f736b2d3031" // device id: 8 bytes "kiosk-01"
          + "2a" // serial 42
          + "11"
          + "6d61726368652d323032362d31312d3238" // event id: 17 bytes "marche-2026-11-28"
          + "01" // action 1: response
          + "02" // briqs 2
          + "87eca20e" // issued 29,660,295 minutes since 1970 = 2026-11-28T10:15Z
          + "b401" // validity 180 days
          + "00"; // flags: not golden

  /** Ed25519 by the RFC 8032 test key of "terrain/ticket\n" + payload. */
  private static final String MARKET_SIGNATURE =
      "e437a25137dd5bc1df3d5cb0266a0a6c3e0f3a881d940c24554f16e3beb5f24c"
          + "526a169803e4a73e2a8b4fb400a52af63d94bc63cd7ecc6500ecdd5e3524820c";

  /** base32(payload + signature): 102 bytes, 164 characters. */
  private static final String MARKET_CODE =
      "AEEGW2LPONVS2MBRFIIW2YLSMNUGKLJSGAZDMLJRGEWTEOABAKD6ZIQOWQAQBZBXUJITPXK3YHPT2XFQEZVAU3B6B45"
          + "IQHMUBQSFKTYW4O7LL4SMKJVBNGAD4STT4KULJ62ABJJK6Y6ZJPDDZV7MYZIA5TOV4NJEQIGA";

  @Test
  void sign_whenMarketTicket_givesGoldenBytes() {
    SignedTicket signed = TicketCodec.sign(MARKET_TICKET, TestKeys.kiosk().privateKey());

    assertEquals(MARKET_PAYLOAD, HEX.formatHex(signed.payload()));
    assertEquals(MARKET_SIGNATURE, HEX.formatHex(signed.signature()));
    assertEquals(MARKET_CODE, signed.code());
    assertEquals(164, signed.code().length());
    assertEquals(MARKET_CODE, TicketCodec.encode(MARKET_TICKET, TestKeys.kiosk().privateKey()));
  }

  @Test
  void parse_whenGoldenCode_givesTheTicketAndVerifies() throws Exception {
    SignedTicket parsed = TicketCodec.parse(MARKET_CODE);

    assertEquals(MARKET_TICKET, parsed.ticket());
    assertEquals(MARKET_PAYLOAD, HEX.formatHex(parsed.payload()));
    assertTrue(TicketCodec.verify(parsed, TestKeys.kiosk().publicKey()));
  }

  @Test
  void url_whenHostInLowercase_givesUppercaseAlphanumericAddress() {
    String url = TicketCodec.url("briqs.bordeaux.fr", MARKET_CODE);

    assertEquals("HTTPS://BRIQS.BORDEAUX.FR/T/" + MARKET_CODE, url);
    assertTrue(url.matches("[0-9A-Z $%*+\\-./:]+"), "QR alphanumeric alphabet only");
  }

  @Test
  void url_whenHostHasSlash_throwsNamingTheRule() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TicketCodec.url("a/b", MARKET_CODE));
    assertEquals(
        "claimHost [a/b] must be a host name like briqs.example.fr, with an optional :port",
        e.getMessage());
  }

  @Test
  void parse_whenUrlAsScanned_givesTheTicket() throws Exception {
    for (String input :
        List.of(
            "HTTPS://BRIQS.BORDEAUX.FR/T/" + MARKET_CODE,
            "https://briqs.bordeaux.fr/t/" + MARKET_CODE.toLowerCase(),
            "https://briqs.bordeaux.fr:8443/T/" + MARKET_CODE + "?src=qr",
            "  " + MARKET_CODE + "\n")) {
      assertEquals(MARKET_TICKET, TicketCodec.parse(input).ticket(), input);
    }
  }

  @Test
  void parse_whenTypedInGroupsWithLookalikes_givesTheTicket() throws Exception {
    StringBuilder typed = new StringBuilder();
    for (int i = 0; i < MARKET_CODE.length(); i++) {
      if (i > 0 && i % 4 == 0) {
        typed.append(i % 8 == 0 ? ' ' : '-');
      }
      char c = Character.toLowerCase(MARKET_CODE.charAt(i));
      typed.append(c == 'o' ? '0' : c == 'i' ? '1' : c == 'b' ? '8' : c);
    }

    assertEquals(MARKET_TICKET, TicketCodec.parse(typed.toString()).ticket());
  }

  @Test
  void parse_whenEveryTruncation_rejectsWithReason() {
    for (int length = 0; length < MARKET_CODE.length(); length++) {
      String cut = MARKET_CODE.substring(0, length);
      TicketException e = assertThrows(TicketException.class, () -> TicketCodec.parse(cut));
      assertTrue(
          Set.of(Reason.TRUNCATED, Reason.MALFORMED).contains(e.reason()),
          "length " + length + ": " + e.getMessage());
    }
  }

  @Test
  void parse_whenTruncatedAtByteBoundary_saysTruncated() {
    // 160 characters are 100 whole bytes: the payload and 62 bytes of the signature.
    TicketException e =
        assertThrows(TicketException.class, () -> TicketCodec.parse(MARKET_CODE.substring(0, 160)));

    assertEquals(Reason.TRUNCATED, e.reason());
    assertEquals(
        "TRUNCATED: the signature is cut short: 62 of 64 bytes; the code is incomplete",
        e.getMessage());
  }

  @Test
  void parseAndVerify_whenAnySingleCharacterAltered_rejectsWithReason() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    Set<Reason> reasons = EnumSet.noneOf(Reason.class);
    int tried = 0;
    for (int i = 0; i < MARKET_CODE.length(); i++) {
      for (char c : alphabet.toCharArray()) {
        if (c == MARKET_CODE.charAt(i)) {
          continue;
        }
        String altered = MARKET_CODE.substring(0, i) + c + MARKET_CODE.substring(i + 1);
        reasons.add(rejection(altered));
        tried++;
      }
    }

    assertEquals(164 * 31, tried);
    // Each kind of damage shows up somewhere along the code.
    assertTrue(reasons.contains(Reason.BAD_SIGNATURE), reasons.toString());
    assertTrue(reasons.contains(Reason.UNSUPPORTED_VERSION), reasons.toString());
    assertTrue(reasons.contains(Reason.MALFORMED), reasons.toString());
  }

  @Test
  void parse_whenCharacterOutsideAlphabet_saysMalformed() {
    TicketException e =
        assertThrows(TicketException.class, () -> TicketCodec.parse("AEEG?" + MARKET_CODE));

    assertEquals(Reason.MALFORMED, e.reason());
  }

  @Test
  void parse_whenExtraCharacters_saysMalformed() {
    TicketException e =
        assertThrows(TicketException.class, () -> TicketCodec.parse(MARKET_CODE + "AAAAAAAA"));

    assertEquals(Reason.MALFORMED, e.reason());
  }

  @Test
  void parse_whenEmptyOrUrlWithoutCode_saysMalformed() {
    for (String input : List.of("", "   ", "https://briqs.bordeaux.fr/", "https://x/T/")) {
      TicketException e = assertThrows(TicketException.class, () -> TicketCodec.parse(input));
      assertEquals(Reason.MALFORMED, e.reason(), input);
    }
  }

  @Test
  void parse_whenUnknownAction_saysInvalidField() {
    byte[] payload = HEX.parseHex(MARKET_PAYLOAD);
    payload[29] = 9; // the action byte
    String code = resigned(payload);

    TicketException e = assertThrows(TicketException.class, () -> TicketCodec.parse(code));

    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertEquals("INVALID_FIELD: action code 9 is not one of 1 to 3", e.getMessage());
  }

  @Test
  void parse_whenEventIdBreaksTheRule_saysInvalidFieldInTheTicketsWords() {
    byte[] payload = HEX.parseHex(MARKET_PAYLOAD);
    payload[12] = 'M'; // "marche-..." becomes "Marche-...": uppercase is not an event id
    String code = resigned(payload);

    TicketException e = assertThrows(TicketException.class, () -> TicketCodec.parse(code));

    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertEquals(
        "INVALID_FIELD: Ticket eventId [Marche-2026-11-28] must be 1 to 40 lowercase letters a-z,"
            + " digits or dashes, not starting with a dash",
        e.getMessage());
  }

  @Test
  void parse_whenNewerVersion_saysUnsupportedVersion() {
    byte[] payload = HEX.parseHex(MARKET_PAYLOAD);
    payload[0] = 2;
    String code = resigned(payload);

    TicketException e = assertThrows(TicketException.class, () -> TicketCodec.parse(code));

    assertEquals(Reason.UNSUPPORTED_VERSION, e.reason());
  }

  @Test
  void verify_whenOtherDevicesKey_returnsFalse() throws Exception {
    assertFalse(TicketCodec.verify(TicketCodec.parse(MARKET_CODE), TestKeys.other().publicKey()));
  }

  @Test
  void verify_whenSignedByOtherDeviceInItsName_returnsFalse() throws Exception {
    String forged = TicketCodec.encode(MARKET_TICKET, TestKeys.other().privateKey());

    assertFalse(TicketCodec.verify(TicketCodec.parse(forged), TestKeys.kiosk().publicKey()));
  }

  @Test
  void shortCode_whenGoldenCode_givesTwelveCharactersOfTheSignature() throws Exception {
    String shortCode = TicketCodec.shortCode(MARKET_CODE);

    assertEquals("4Q32-EUJX-3VN4", shortCode);
    assertEquals("4Q32EUJX3VN4", TicketCodec.normalizeShortCode(" 4q32 eujx-3vn4 "));
  }

  @Test
  void normalizeShortCode_whenWrongLength_saysMalformed() {
    TicketException e =
        assertThrows(TicketException.class, () -> TicketCodec.normalizeShortCode("4Q32-EUJX"));

    assertEquals(Reason.MALFORMED, e.reason());
  }

  @Test
  void ticket_whenIssueTimeNotWholeMinute_throwsNamingTheRule() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Ticket(
                    1,
                    DeviceId.of("k"),
                    1,
                    EventId.of("e"),
                    "response",
                    1,
                    61,
                    61 + 86_400,
                    false));

    assertEquals(
        "Ticket issuedAtEpochSecond [61] must be a whole minute after 1970, 0 or more and"
            + " divisible by 60",
        e.getMessage());
  }

  @Test
  void roundTrip_whenRandomTickets_givesThemBackAndVerifies() throws Exception {
    Random random = new Random(20261128);
    DeviceKeys keys = TestKeys.kiosk();
    List<Integer> lengths = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Ticket ticket = randomTicket(random);
      String code = TicketCodec.encode(ticket, keys.privateKey());

      SignedTicket parsed = TicketCodec.parse(code);

      assertEquals(ticket, parsed.ticket(), code);
      assertEquals(code, parsed.code());
      assertTrue(TicketCodec.verify(parsed, keys.publicKey()), code);
      assertTrue(code.matches("[A-Z2-7]+"), code);
      lengths.add(code.length());
    }
    assertTrue(lengths.stream().allMatch(n -> n >= 110 && n <= 330), lengths.toString());
  }

  private static Ticket randomTicket(Random random) {
    String idChars = "abcdefghijklmnopqrstuvwxyz0123456789-";
    String deviceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    StringBuilder eventId = new StringBuilder().append(idChars.charAt(random.nextInt(36)));
    for (int n = random.nextInt(40); n > 0; n--) {
      eventId.append(idChars.charAt(random.nextInt(idChars.length())));
    }
    StringBuilder device = new StringBuilder();
    for (int n = 1 + random.nextInt(64); n > 0; n--) {
      device.append(deviceChars.charAt(random.nextInt(deviceChars.length())));
    }
    long serial = random.nextBoolean() ? 1 + random.nextInt(1000) : 1 + (random.nextLong() >>> 2);
    long issued = (long) random.nextInt(Integer.MAX_VALUE) * 60;
    return Ticket.of(
        DeviceId.of(device.toString()),
        serial,
        EventId.of(eventId.toString()),
        Rewards.ACTIONS.get(random.nextInt(Rewards.ACTIONS.size())),
        random.nextInt(Ticket.MAX_BRIQS + 1),
        issued,
        1 + random.nextInt(Ticket.MAX_VALIDITY_DAYS),
        random.nextBoolean());
  }

  /** The reason an altered code is refused, at parsing or at verifying. */
  private static Reason rejection(String code) {
    try {
      SignedTicket parsed = TicketCodec.parse(code);
      if (TicketCodec.verify(parsed, TestKeys.kiosk().publicKey())) {
        throw new AssertionError("altered code accepted: " + code);
      }
      return Reason.BAD_SIGNATURE;
    } catch (TicketException e) {
      return e.reason();
    }
  }

  /** The code of {@code payload} signed properly, to test the field checks behind the signature. */
  private static String resigned(byte[] payload) {
    byte[] message = new byte["terrain/ticket\n".length() + payload.length];
    System.arraycopy("terrain/ticket\n".getBytes(), 0, message, 0, 15);
    System.arraycopy(payload, 0, message, 15, payload.length);
    byte[] signature = TestKeys.kiosk().sign(message);
    byte[] all = new byte[payload.length + 64];
    System.arraycopy(payload, 0, all, 0, payload.length);
    System.arraycopy(signature, 0, all, payload.length, 64);
    return Base32.encode(all);
  }
}

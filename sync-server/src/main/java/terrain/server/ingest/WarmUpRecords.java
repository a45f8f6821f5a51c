// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import terrain.core.event.EventDefinition;
import terrain.core.event.Poll;
import terrain.core.event.ProfileSettings;
import terrain.core.record.DeviceId;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.simulate.RandomAnswers;
import terrain.core.ticket.DeviceKeys;
import terrain.core.ticket.IssuingRules;
import terrain.core.ticket.TicketCodec;
import terrain.core.ticket.TicketRecord;

/**
 * Made-up participations as a hub forwards them, for the server's warm-up (decision 0064): a few
 * kiosks of their own, each answering the events' polls as {@code simulate} does (a response, an
 * idea one time in {@value RandomAnswers#IDEA_ONE_IN}, the ticket the event's rules give, signed
 * with the kiosk's own throwaway key, at most {@value #TICKETS_PER_KIOSK} a kiosk), the kiosks'
 * participations interleaved in runs as the hub's outbox holds them, each record stamped by the
 * hub.
 */
final class WarmUpRecords {
  /** Kiosks in the made-up market. */
  static final int KIOSKS = 4;

  /** Participations of one kiosk in a row before the next kiosk's. */
  private static final int RUN = 25;

  /**
   * Tickets each made-up kiosk prints at most, under the event's own cap: each costs two Ed25519
   * signatures on the server's cold code (the ticket and its golden draw), about 1 ms together, and
   * a real backlog holds few tickets (an event's cap per kiosk, 500 in the sample market day).
   */
  static final int TICKETS_PER_KIOSK = 100;

  /** A participation every so often on each kiosk's clock. */
  private static final long EVERY_MILLIS = 1_000;

  private final List<EventDefinition> events;
  private final List<Kiosk> kiosks = new ArrayList<>();
  private final SplittableRandom random;
  private final Map<String, IssuingRules> rules = new HashMap<>();
  private int kiosk;
  private int inRun;

  private static final class Kiosk {
    final DeviceId id;
    final DeviceKeys keys;
    final Map<String, Long> issued = new HashMap<>();
    long seq;
    long time;

    Kiosk(DeviceId id, DeviceKeys keys, long time) {
      this.id = id;
      this.keys = keys;
      this.time = time;
    }
  }

  /**
   * @param events the events to answer, at least one with a poll
   * @param start the first participation's time, in milliseconds since the epoch
   * @param seed the same seed gives the same answers (the keys are new each time)
   */
  WarmUpRecords(List<EventDefinition> events, long start, long seed) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("the warm-up needs an event to answer");
    }
    this.events = List.copyOf(events);
    this.random = new SplittableRandom(seed);
    SecureRandom keys = new SecureRandom();
    for (int i = 1; i <= KIOSKS; i++) {
      kiosks.add(new Kiosk(DeviceId.of("warm-up-kiosk-" + i), DeviceKeys.generate(keys), start));
    }
  }

  /** The next records, {@code count} or one or two more (a participation is not split). */
  List<Record> next(int count) {
    List<Record> out = new ArrayList<>(count + 2);
    while (out.size() < count) {
      participation(kiosks.get(kiosk), out);
      if (++inRun == RUN) {
        inRun = 0;
        kiosk = (kiosk + 1) % kiosks.size();
      }
    }
    return out;
  }

  private void participation(Kiosk k, List<Record> out) {
    EventDefinition event = events.get(random.nextInt(events.size()));
    Poll poll = event.polls().get(random.nextInt(event.polls().size()));
    List<ResponseBody.Answer> answers = new ArrayList<>(RandomAnswers.answers(poll, random));
    Optional<IdeaBody> idea = RandomAnswers.idea(event, poll, random);
    List<Optional<String>> profile = RandomAnswers.profile(event, random);
    profile
        .get(0)
        .ifPresent(
            a -> answers.add(new ResponseBody.Answer(ProfileSettings.AGE_ANSWER, List.of(a))));
    profile
        .get(1)
        .ifPresent(
            a -> answers.add(new ResponseBody.Answer(ProfileSettings.AREA_ANSWER, List.of(a))));
    k.time += EVERY_MILLIS;
    long serial = k.seq + 1;
    out.add(record(k, RecordKind.RESPONSE, event, new ResponseBody(poll.id(), answers).encode()));
    idea.ifPresent(i -> out.add(record(k, RecordKind.IDEA, event, i.encode())));
    long issued = k.issued.getOrDefault(event.id(), 0L);
    if (issued >= TICKETS_PER_KIOSK) {
      return;
    }
    IssuingRules.Issuance issuance =
        rules
            .computeIfAbsent(event.id(), id -> new IssuingRules(event))
            .issue(
                k.keys,
                k.id,
                serial,
                issued,
                idea.isPresent() ? List.of("response", "idea") : List.of("response"),
                Instant.ofEpochMilli(k.time));
    if (issuance instanceof IssuingRules.Issued granted) {
      String code = TicketCodec.sign(granted.ticket(), k.keys.privateKey()).code();
      out.add(
          record(
              k, RecordKind.TICKET, event, new TicketRecord(code, granted.goldenProof()).encode()));
      k.issued.put(event.id(), issued + 1);
    }
  }

  private static Record record(Kiosk k, RecordKind kind, EventDefinition event, byte[] body) {
    k.seq++;
    // The hub stamps what it receives a moment after the kiosk committed it.
    return new Record(k.id, k.seq, kind, event.id(), k.time, k.time + 300, body);
  }
}

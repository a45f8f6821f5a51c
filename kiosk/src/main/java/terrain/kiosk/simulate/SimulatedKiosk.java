// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.simulate;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.EventDefinition;
import terrain.core.event.Poll;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.simulate.RandomAnswers;
import terrain.hardware.printer.PrintResult;
import terrain.hardware.printer.TicketPrint;
import terrain.hardware.printer.TicketPrinter;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.session.ParticipationSession;
import terrain.kiosk.sync.SyncAgent;
import terrain.store.StoreException;

/**
 * One simulated kiosk: an engine and its sync agent, and a loop that records seeded random
 * responses until the kiosk holds its share.
 *
 * <p>The answers of the response with seq {@code s} of kiosk {@code i} come from {@code new
 * SplittableRandom(seed * 1_000_003 + i * 7919 + s)}: a run killed and started again records
 * exactly what one uninterrupted run would have (the device time aside).
 */
final class SimulatedKiosk implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedKiosk.class);

  private final int index;
  private final KioskEngine engine;
  private final SyncAgent agent;
  private final EventDefinition event;
  private final long share;
  private final long seed;
  private final long intervalNanos;
  private final CountDownLatch stop;
  private final AtomicLong held;
  private final Optional<Printing> printing;

  /** Where a simulated kiosk prints its tickets, and the claim host their QR codes point to. */
  record Printing(TicketPrinter printer, String claimHost) {}

  private volatile Optional<String> failure = Optional.empty();
  private volatile boolean done;

  /**
   * @param held how many responses to the event the kiosk already holds
   * @param intervalNanos time between two responses, 0 for as fast as the disk allows
   * @param stop counted down to make the loop end after the current response
   */
  SimulatedKiosk(
      int index,
      KioskEngine engine,
      SyncAgent agent,
      EventDefinition event,
      long share,
      long held,
      long seed,
      long intervalNanos,
      CountDownLatch stop,
      Optional<Printing> printing) {
    this.printing = printing;
    this.index = index;
    this.engine = engine;
    this.agent = agent;
    this.event = event;
    this.share = share;
    this.held = new AtomicLong(held);
    this.seed = seed;
    this.intervalNanos = intervalNanos;
    this.stop = stop;
  }

  /** The seed of the response with this seq on kiosk {@code index} (1-based). */
  static long responseSeed(long seed, int index, long seq) {
    return seed * 1_000_003L + index * 7919L + seq;
  }

  @Override
  public void run() {
    try {
      long nextSeq = engine.lastSeq() + 1;
      long start = System.nanoTime();
      long made = 0;
      while (held.get() < share && stop.getCount() > 0) {
        if (intervalNanos > 0) {
          long wait = start + made * intervalNanos - System.nanoTime();
          if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) {
            break;
          }
        }
        Record record = recordOne(nextSeq);
        nextSeq = record.seq() + 1;
        made++;
        held.incrementAndGet();
      }
    } catch (StoreException e) {
      log.warn("Simulated kiosk {} ({}) cannot store a record", index, engine.deviceId(), e);
      failure = Optional.of("kiosk " + index + " (" + engine.deviceId() + "): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Simulated kiosk {} ({}) failed", index, engine.deviceId(), e);
      failure = Optional.of("kiosk " + index + " (" + engine.deviceId() + "): " + e);
    } finally {
      done = true;
    }
  }

  private Record recordOne(long seq) throws StoreException {
    SplittableRandom random = new SplittableRandom(responseSeed(seed, index, seq));
    List<Poll> polls = event.polls();
    Poll poll = polls.get(random.nextInt(polls.size()));
    ParticipationSession session = engine.start(event, poll);
    for (ResponseBody.Answer answer : RandomAnswers.answers(poll, random)) {
      session.answer(answer);
    }
    session.idea(RandomAnswers.idea(event, poll, random));
    if (event.profile().isPresent()) {
      List<Optional<String>> profile = RandomAnswers.profile(event, random);
      session.profile(profile.get(0), profile.get(1));
    }
    Record response = session.complete();
    if (printing.isPresent() && session.ticket().isPresent()) {
      PrintResult result =
          printing
              .get()
              .printer()
              .print(
                  TicketPrint.of(
                      session.ticket().get(),
                      event.title().fr(),
                      printing.get().claimHost(),
                      ZoneId.systemDefault(),
                      Locale.FRENCH));
      if (result instanceof PrintResult.CannotWrite failed) {
        throw new IllegalStateException(
            "cannot print a ticket to " + failed.location() + ": " + failed.detail());
      }
    }
    return response;
  }

  int index() {
    return index;
  }

  KioskEngine engine() {
    return engine;
  }

  SyncAgent agent() {
    return agent;
  }

  long share() {
    return share;
  }

  /** Responses to the event this kiosk holds, counted toward its share. */
  long recorded() {
    return Math.min(held.get(), share);
  }

  /** How many of its responses the hub has acknowledged (tickets and keys travel alongside). */
  long acked() throws StoreException {
    return Math.min(share, engine.store().forwardedCount(engine.deviceId(), RecordKind.RESPONSE));
  }

  boolean done() {
    return done;
  }

  Optional<String> failure() {
    return failure;
  }
}

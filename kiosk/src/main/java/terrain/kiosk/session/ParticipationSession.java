// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import terrain.core.event.EventDefinition;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.core.record.Record;
import terrain.core.record.ResponseBody;
import terrain.core.store.StoreException;
import terrain.core.ticket.SignedTicket;

/**
 * One resident's go at a poll, from the first tap to "thank you" (or to walking away).
 *
 * <p>Answers are kept in memory until {@link #complete()}, which commits them as one {@code
 * RESPONSE} record together with its outbox entry: nothing reaches the database before that, and
 * {@link #abandon()} leaves no trace. A resident may skip questions (no answer is stored for them)
 * but a participation needs at least one answer. A session ends once: completed or abandoned.
 *
 * <p>Meant to be driven by one screen model; the methods are synchronized so that a background
 * {@code complete()} and a timeout's {@code abandon()} cannot both win.
 */
public final class ParticipationSession {
  /** Where a session stands. */
  public enum State {
    OPEN,
    COMPLETED,
    ABANDONED
  }

  private final KioskEngine engine;
  private final EventDefinition event;
  private final Poll poll;
  private final Instant startedAt;
  private final Map<String, ResponseBody.Answer> answers = new HashMap<>();
  private State state = State.OPEN;
  private Optional<SignedTicket> ticket = Optional.empty();

  ParticipationSession(KioskEngine engine, EventDefinition event, Poll poll, Instant startedAt) {
    this.engine = engine;
    this.event = event;
    this.poll = poll;
    this.startedAt = startedAt;
  }

  public EventDefinition event() {
    return event;
  }

  public Poll poll() {
    return poll;
  }

  /** The device time at which the session started. */
  public Instant startedAt() {
    return startedAt;
  }

  public synchronized State state() {
    return state;
  }

  /**
   * Sets the answer to a question; answering again replaces the previous answer.
   *
   * @throws IllegalArgumentException if the question or an option is not in the poll, or the number
   *     of options breaks the question's rule (see {@link AnswerRules})
   * @throws IllegalStateException if the session is already completed or abandoned
   */
  public synchronized void answer(String questionId, List<String> optionIds) {
    requireOpen("answer");
    answers.put(
        questionId,
        new ResponseBody.Answer(questionId, AnswerRules.check(poll, questionId, optionIds)));
  }

  /**
   * Sets any answer: options, a pin on a map or a text (see {@link AnswerRules#check(Poll,
   * ResponseBody.Answer)}); answering again replaces the previous answer.
   *
   * @return the answer as stored (a pin gets its zone, a text is tidied)
   * @throws IllegalArgumentException if the answer breaks the question's rule
   * @throws IllegalStateException if the session is already completed or abandoned
   */
  public synchronized ResponseBody.Answer answer(ResponseBody.Answer answer) {
    requireOpen("answer");
    ResponseBody.Answer checked = AnswerRules.check(poll, answer);
    answers.put(checked.questionId(), checked);
    return checked;
  }

  /** Removes the answer to a question (the resident un-ticked everything). */
  public synchronized void clear(String questionId) {
    requireOpen("clear");
    AnswerRules.question(poll, questionId);
    answers.remove(questionId);
  }

  /** The options chosen for a question, if it is answered. */
  public synchronized Optional<List<String>> answerTo(String questionId) {
    return Optional.ofNullable(answers.get(questionId)).map(ResponseBody.Answer::optionIds);
  }

  /** The whole answer to a question (options, pin, text), if it is answered. */
  public synchronized Optional<ResponseBody.Answer> fullAnswerTo(String questionId) {
    return Optional.ofNullable(answers.get(questionId));
  }

  /** The options of every answer so far, in the poll's question order. */
  public synchronized Map<String, List<String>> answers() {
    Map<String, List<String>> ordered = new LinkedHashMap<>();
    fullAnswers().forEach(a -> ordered.put(a.questionId(), a.optionIds()));
    return Collections.unmodifiableMap(ordered);
  }

  /** Every answer so far, in the poll's question order. */
  public synchronized List<ResponseBody.Answer> fullAnswers() {
    List<ResponseBody.Answer> ordered = new ArrayList<>();
    for (Question question : poll.questions()) {
      ResponseBody.Answer answer = answers.get(question.id());
      if (answer != null) {
        ordered.add(answer);
      }
    }
    return List.copyOf(ordered);
  }

  /** Whether {@link #complete()} would store something: the session is open with an answer. */
  public synchronized boolean canComplete() {
    return state == State.OPEN && !answers.isEmpty();
  }

  /**
   * Commits the participation as one RESPONSE record (record and outbox entry in one transaction),
   * then wakes the sync agent. When this returns, a power cut loses nothing.
   *
   * <p>If the database fails, the session stays open with its answers: the caller may try again or
   * abandon it.
   *
   * @return the committed record, with its seq
   * @throws IllegalStateException if the session is not open or has no answer
   * @throws StoreException if the device's database cannot commit
   */
  public synchronized Record complete() throws StoreException {
    requireOpen("complete");
    if (answers.isEmpty()) {
      throw new IllegalStateException(
          "Session of poll ["
              + poll.id()
              + "] has no answer: a participation needs at least one answer before complete();"
              + " call abandon() to drop it");
    }
    KioskEngine.Committed committed =
        engine.commitResponse(event, new ResponseBody(poll.id(), fullAnswers()));
    ticket = committed.ticket();
    state = State.COMPLETED;
    engine.committed(committed.response());
    return committed.response();
  }

  /**
   * The signed ticket this participation earned, once completed; empty if the event gives no briq
   * for a response or the device reached its cap.
   */
  public synchronized Optional<SignedTicket> ticket() {
    return ticket;
  }

  /**
   * Drops the session: nothing is stored.
   *
   * @throws IllegalStateException if the session is already completed or abandoned
   */
  public synchronized void abandon() {
    requireOpen("abandon");
    answers.clear();
    state = State.ABANDONED;
  }

  private void requireOpen(String action) {
    if (state != State.OPEN) {
      throw new IllegalStateException(
          "Cannot "
              + action
              + " a session of poll ["
              + poll.id()
              + "] that is "
              + state.name().toLowerCase()
              + "; start a new session");
    }
  }
}

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
import terrain.core.event.ProfileSettings;
import terrain.core.event.Question;
import terrain.core.id.QuestionId;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.ResponseBody;
import terrain.core.rules.AnswerRules;
import terrain.core.ticket.SignedTicket;
import terrain.store.StoreException;

/**
 * One resident's go at a poll, from the first tap to "thank you" (or to walking away).
 *
 * <p>Answers are kept in memory until {@link #complete()}, which commits them as one {@code
 * RESPONSE} record (with the optional profile answers under the reserved ids of {@link
 * ProfileSettings}), the optional {@code IDEA} record and the ticket, together with their outbox
 * entries in one transaction: nothing reaches the database before that, and {@link #abandon()}
 * leaves no trace. A resident may skip questions (no answer is stored for them) but a participation
 * needs at least one answer or an idea. A session ends once: completed or abandoned.
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
  private IdeaBody idea;
  private Record ideaRecord;
  private String ageBand;
  private String area;

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
  public synchronized void answer(QuestionId questionId, List<String> optionIds) {
    requireOpen("answer");
    answers.put(
        questionId.value(),
        new ResponseBody.Answer(
            questionId.value(), AnswerRules.check(poll, questionId, optionIds)));
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
  public synchronized void clear(QuestionId questionId) {
    requireOpen("clear");
    AnswerRules.question(poll, questionId);
    answers.remove(questionId.value());
  }

  /** The options chosen for a question, if it is answered. */
  public synchronized Optional<List<String>> answerTo(QuestionId questionId) {
    return Optional.ofNullable(answers.get(questionId.value())).map(ResponseBody.Answer::optionIds);
  }

  /** The whole answer to a question (options, pin, text), if it is answered. */
  public synchronized Optional<ResponseBody.Answer> fullAnswerTo(QuestionId questionId) {
    return Optional.ofNullable(answers.get(questionId.value()));
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

  /**
   * Sets the idea the resident leaves with their answers (replacing an earlier one), or removes it
   * with an empty value.
   *
   * @throws IllegalArgumentException if the idea names another poll, or a theme the event does not
   *     have
   * @throws IllegalStateException if the session is already completed or abandoned
   */
  public synchronized void idea(Optional<IdeaBody> left) {
    requireOpen("leave an idea in");
    if (left.isPresent()) {
      IdeaBody body = left.get();
      if (!body.pollId().equals(poll.id())) {
        throw new IllegalArgumentException(
            "Idea of poll [" + body.pollId() + "] left in a session of poll [" + poll.id() + "]");
      }
      if (body.theme().isPresent() && event.ideas().theme(body.themeId()).isEmpty()) {
        throw new IllegalArgumentException(
            "Idea theme [" + body.themeId() + "] is not a theme of event [" + event.id() + "]");
      }
    }
    idea = left.orElse(null);
  }

  /** The idea left so far, if any. */
  public synchronized Optional<IdeaBody> idea() {
    return Optional.ofNullable(idea);
  }

  /**
   * Sets the resident's "who are you" answers; an empty value is a question they skipped.
   *
   * @throws IllegalArgumentException if the event has no profile, or an id is not one of its age
   *     bands or neighbourhoods
   * @throws IllegalStateException if the session is already completed or abandoned
   */
  public synchronized void profile(Optional<String> ageBandId, Optional<String> areaId) {
    requireOpen("set the profile of");
    ProfileSettings settings =
        event
            .profile()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Event [" + event.id() + "] has no profile section: nothing to set"));
    ageBandId.ifPresent(
        id -> {
          if (settings.ageBand(id).isEmpty()) {
            throw new IllegalArgumentException(
                "Age band [" + id + "] is not one of event [" + event.id() + "]");
          }
        });
    areaId.ifPresent(
        id -> {
          if (settings.area(id).isEmpty()) {
            throw new IllegalArgumentException(
                "Neighbourhood [" + id + "] is not one of event [" + event.id() + "]");
          }
        });
    ageBand = ageBandId.orElse(null);
    area = areaId.orElse(null);
  }

  /** The age band chosen on the profile screen, if any. */
  public synchronized Optional<String> ageBand() {
    return Optional.ofNullable(ageBand);
  }

  /** The neighbourhood chosen on the profile screen, if any. */
  public synchronized Optional<String> area() {
    return Optional.ofNullable(area);
  }

  /**
   * Whether {@link #complete()} would store something: the session is open with an answer or an
   * idea.
   */
  public synchronized boolean canComplete() {
    return state == State.OPEN && (!answers.isEmpty() || idea != null);
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
    if (answers.isEmpty() && idea == null) {
      throw new IllegalStateException(
          "Session of poll ["
              + poll.id()
              + "] has no answer: a participation needs at least one answer or an idea before"
              + " complete(); call abandon() to drop it");
    }
    List<ResponseBody.Answer> body = new ArrayList<>(fullAnswers());
    if (ageBand != null) {
      body.add(new ResponseBody.Answer(ProfileSettings.AGE_ANSWER, List.of(ageBand)));
    }
    if (area != null) {
      body.add(new ResponseBody.Answer(ProfileSettings.AREA_ANSWER, List.of(area)));
    }
    KioskEngine.Committed committed =
        engine.commitResponse(
            event,
            new ResponseBody(poll.id(), body),
            Optional.ofNullable(idea),
            !answers.isEmpty());
    ticket = committed.ticket();
    ideaRecord = committed.idea().orElse(null);
    state = State.COMPLETED;
    engine.committed(committed.response());
    committed.idea().ifPresent(engine::committed);
    return committed.response();
  }

  /** The IDEA record committed with this participation, once completed with an idea. */
  public synchronized Optional<Record> ideaRecord() {
    return Optional.ofNullable(ideaRecord);
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
    idea = null;
    ageBand = null;
    area = null;
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

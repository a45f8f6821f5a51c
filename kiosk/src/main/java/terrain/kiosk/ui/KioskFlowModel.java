// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.event.EventDefinition;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.core.id.PollId;
import terrain.core.record.Record;
import terrain.core.ticket.SignedTicket;
import terrain.hardware.printer.PrintResult;
import terrain.hardware.printer.TicketPrint;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.session.ParticipationSession;
import terrain.kiosk.ui.idea.IdeaModel;
import terrain.kiosk.ui.profile.ProfileModel;
import terrain.kiosk.ui.question.MapPictures;
import terrain.kiosk.ui.question.QuestionModel;
import terrain.kiosk.ui.thanks.TicketDesk;
import terrain.store.StoreException;

/**
 * The resident's path through the kiosk: attract → language → one screen per question → the
 * optional idea (when the event asks for ideas) → the optional "who are you" (when the event has a
 * profile section) → thank you → attract. It owns the participation session: the end of the last of
 * those screens commits it (answers, profile, idea and ticket in one transaction), walking away
 * (the inactivity countdown, on any of those screens) or leaving before any answer drops it, and
 * the next resident starts from a fresh screen in French at normal size.
 *
 * <p>Runs on one thread (the JavaFX thread in the app): every command and every scheduled timeout
 * comes through it. Time comes from the {@link TapFilter}'s clock and the {@link UiScheduler}.
 */
public final class KioskFlowModel {
  private static final Logger log = LoggerFactory.getLogger(KioskFlowModel.class);

  /** The screens of the resident flow. */
  public enum Screen {
    ATTRACT,
    LANGUAGE,
    QUESTION,
    IDEA,
    PROFILE,
    THANK_YOU
  }

  /** What became of the ticket on the thank-you screen. */
  public enum PrintState {
    /** No ticket for this participation (no briq for it, or the kiosk's cap is reached). */
    NONE,
    PRINTING,
    PRINTED,
    /** The printer failed: the resident sees the code on screen, staff can reprint it. */
    FAILED
  }

  private static final Duration TICK = Duration.ofSeconds(1);

  private final KioskEngine engine;
  private final EventDefinition event;
  private final KioskSettings settings;
  private final UiScheduler scheduler;
  private final TapFilter taps;
  private final TicketDesk tickets;
  private final MapPictures maps = new MapPictures();
  private final ReadOnlyObjectWrapper<TicketPrint> ticket = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyObjectWrapper<PrintState> printState =
      new ReadOnlyObjectWrapper<>(PrintState.NONE);

  private final ReadOnlyObjectWrapper<Screen> screen = new ReadOnlyObjectWrapper<>(Screen.ATTRACT);
  private final ReadOnlyObjectWrapper<Language> language = new ReadOnlyObjectWrapper<>(Language.FR);
  private final ReadOnlyObjectWrapper<Messages> messages =
      new ReadOnlyObjectWrapper<>(Messages.of(Language.FR));
  private final ReadOnlyObjectWrapper<TextSize> textSize =
      new ReadOnlyObjectWrapper<>(TextSize.NORMAL);
  private final ReadOnlyObjectWrapper<QuestionModel> question = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyObjectWrapper<IdeaModel> idea = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyObjectWrapper<ProfileModel> profile = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyIntegerWrapper questionIndex = new ReadOnlyIntegerWrapper(0);
  private final ReadOnlyBooleanWrapper stillThere = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyIntegerWrapper secondsLeft = new ReadOnlyIntegerWrapper(0);
  private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");

  private Poll poll;
  private ParticipationSession session;
  private final List<QuestionModel> questions = new ArrayList<>();
  private Record lastRecord;
  private UiScheduler.Task inactivityTask;
  private UiScheduler.Task countdownTask;
  private UiScheduler.Task thankYouTask;

  /**
   * @param engine commits the participations
   * @param event the event shown; its first poll is asked
   * @param taps the repeat-press filter shared by every screen (and its clock)
   */
  public KioskFlowModel(
      KioskEngine engine,
      EventDefinition event,
      KioskSettings settings,
      UiScheduler scheduler,
      TapFilter taps) {
    this(engine, event, settings, scheduler, taps, TicketDesk.inMemory("briqs.example.org"));
  }

  /**
   * @param tickets prints the ticket of each completed participation
   */
  public KioskFlowModel(
      KioskEngine engine,
      EventDefinition event,
      KioskSettings settings,
      UiScheduler scheduler,
      TapFilter taps,
      TicketDesk tickets) {
    this.tickets = tickets;
    this.engine = engine;
    this.event = event;
    this.poll = event.defaultPoll();
    this.settings = settings;
    this.scheduler = scheduler;
    this.taps = taps;
  }

  // What the views bind to.

  public ReadOnlyObjectProperty<Screen> screenProperty() {
    return screen.getReadOnlyProperty();
  }

  public Screen screen() {
    return screen.get();
  }

  public ReadOnlyObjectProperty<Language> languageProperty() {
    return language.getReadOnlyProperty();
  }

  public Language language() {
    return language.get();
  }

  /** The kiosk's texts in the current language. */
  public ReadOnlyObjectProperty<Messages> messagesProperty() {
    return messages.getReadOnlyProperty();
  }

  public Messages messages() {
    return messages.get();
  }

  public ReadOnlyObjectProperty<TextSize> textSizeProperty() {
    return textSize.getReadOnlyProperty();
  }

  public TextSize textSize() {
    return textSize.get();
  }

  /** The question on screen, null outside the question screens. */
  public ReadOnlyObjectProperty<QuestionModel> questionProperty() {
    return question.getReadOnlyProperty();
  }

  public QuestionModel question() {
    return question.get();
  }

  /** The idea screen's model, null outside a resident's session or when the event asks none. */
  public ReadOnlyObjectProperty<IdeaModel> ideaProperty() {
    return idea.getReadOnlyProperty();
  }

  public IdeaModel idea() {
    return idea.get();
  }

  /** The "who are you" screen's model, null outside a session or when the event has no profile. */
  public ReadOnlyObjectProperty<ProfileModel> profileProperty() {
    return profile.getReadOnlyProperty();
  }

  public ProfileModel profile() {
    return profile.get();
  }

  /** 0-based index of the question on screen. */
  public ReadOnlyIntegerProperty questionIndexProperty() {
    return questionIndex.getReadOnlyProperty();
  }

  public int questionIndex() {
    return questionIndex.get();
  }

  public int questionCount() {
    return poll.questions().size();
  }

  /** The "Encore là ?" overlay is up. */
  public ReadOnlyBooleanProperty stillThereProperty() {
    return stillThere.getReadOnlyProperty();
  }

  public boolean isStillThereShown() {
    return stillThere.get();
  }

  /** Seconds left before the answers are dropped, while the overlay is up. */
  public ReadOnlyIntegerProperty secondsLeftProperty() {
    return secondsLeft.getReadOnlyProperty();
  }

  /** A message for the resident when their answers could not be saved, else empty. */
  public ReadOnlyStringProperty problemProperty() {
    return problem.getReadOnlyProperty();
  }

  /** The event's title in the current language. */
  public String eventTitle() {
    return event.title().in(language.get().tag());
  }

  public EventDefinition event() {
    return event;
  }

  public Poll poll() {
    return poll;
  }

  /** The title of the poll in the current language. */
  public String pollTitle() {
    return poll.title().in(language.get().tag());
  }

  /** The record of the last completed participation, e.g. for its ticket. */
  public Optional<Record> lastRecord() {
    return Optional.ofNullable(lastRecord);
  }

  /** Whether a resident's answers are in progress (for a staff panel). */
  public boolean sessionOpen() {
    return session != null && session.state() == ParticipationSession.State.OPEN;
  }

  /** The ticket on the thank-you screen, null when the participation earned none. */
  public ReadOnlyObjectProperty<TicketPrint> ticketProperty() {
    return ticket.getReadOnlyProperty();
  }

  public Optional<TicketPrint> ticket() {
    return Optional.ofNullable(ticket.get());
  }

  /** Whether the ticket on the thank-you screen is printing, out, or failed. */
  public ReadOnlyObjectProperty<PrintState> printStateProperty() {
    return printState.getReadOnlyProperty();
  }

  public PrintState printState() {
    return printState.get();
  }

  /** The kiosk's printer (staff panel: status, test print, reprint). */
  public TicketDesk tickets() {
    return tickets;
  }

  public KioskEngine engine() {
    return engine;
  }

  // Commands.

  /**
   * Staff chose another poll of the event (staff panel, tablet home): a resident's answers in
   * progress are dropped and the kiosk starts over on the new poll.
   *
   * @throws IllegalArgumentException if the event has no such poll
   */
  public void switchPoll(PollId pollId) {
    Poll chosen =
        event
            .poll(pollId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Poll [" + pollId + "] is not a poll of event [" + event.id() + "]"));
    if (chosen.equals(poll)) {
      return;
    }
    log.info("Staff switched poll {} -> {}", poll.id(), chosen.id());
    poll = chosen;
    startOver();
  }

  /**
   * The language of the home screen (the tablet's workshop screens, which the facilitator sets);
   * ignored while a resident takes part. A resident's participation still starts in French.
   */
  public void homeLanguage(Language chosen) {
    if (screen.get() == Screen.ATTRACT) {
      setLanguage(chosen);
    }
  }

  /** A tap on the attract screen: a resident starts. */
  public void start() {
    if (screen.get() != Screen.ATTRACT || !taps.accept("start")) {
      return;
    }
    session = engine.start(event, poll);
    screen.set(Screen.LANGUAGE);
    touched();
  }

  /** The resident chose a language: the first question shows. */
  public void chooseLanguage(Language chosen) {
    if (screen.get() != Screen.LANGUAGE || !taps.accept("language")) {
      return;
    }
    setLanguage(chosen);
    questions.clear();
    Messages texts = messages.get();
    for (Question q : poll.questions()) {
      questions.add(new QuestionModel(q, session, chosen, texts, taps, maps));
    }
    idea.set(
        event.ideas().enabled() ? new IdeaModel(event.ideas(), poll.pollId(), chosen, taps) : null);
    profile.set(event.profile().map(p -> new ProfileModel(p, chosen, texts, taps)).orElse(null));
    showQuestion(0);
    touched();
  }

  /**
   * Next question, or, after the last one, the idea screen, the "who are you" screen or the end
   * (the participation is committed and the thank-you screen shows), whichever the event has. A
   * question left unanswered is skipped.
   */
  public void next() {
    if (screen.get() != Screen.QUESTION || !taps.accept("next")) {
      return;
    }
    touched();
    if (questionIndex.get() < questions.size() - 1) {
      showQuestion(questionIndex.get() + 1);
    } else {
      afterQuestions();
    }
  }

  /**
   * Back one screen: the previous question, the language choice from the first one, the last
   * question from the idea screen, the idea (or the last question) from the "who are you" screen.
   * What was typed or picked stays.
   */
  public void back() {
    Screen now = screen.get();
    if ((now != Screen.QUESTION && now != Screen.IDEA && now != Screen.PROFILE)
        || !taps.accept("back")) {
      return;
    }
    touched();
    if (now == Screen.PROFILE && idea.get() != null) {
      screen.set(Screen.IDEA);
    } else if (now == Screen.IDEA || now == Screen.PROFILE) {
      showQuestion(questions.size() - 1);
    } else if (questionIndex.get() > 0) {
      showQuestion(questionIndex.get() - 1);
    } else {
      question.set(null);
      screen.set(Screen.LANGUAGE);
    }
  }

  /** "Envoyer mon idée" on the idea screen: the idea joins the participation; on to the next. */
  public void sendIdea() {
    if (screen.get() != Screen.IDEA || !idea.get().isSendable() || !taps.accept("idea-send")) {
      return;
    }
    touched();
    session.idea(idea.get().idea());
    afterIdea();
  }

  /** "Passer" on the idea screen: no idea; what was typed is cleared. */
  public void skipIdea() {
    if (screen.get() != Screen.IDEA || !taps.accept("idea-skip")) {
      return;
    }
    touched();
    idea.get().clear();
    session.idea(Optional.empty());
    afterIdea();
  }

  /** "Terminer" on the "who are you" screen: the choices join the participation, which ends. */
  public void finishProfile() {
    if (screen.get() != Screen.PROFILE || !taps.accept("profile-done")) {
      return;
    }
    touched();
    session.profile(profile.get().ageBand(), profile.get().area());
    finish();
  }

  /** "Passer" on the "who are you" screen: nothing about the resident is kept; it ends. */
  public void skipProfile() {
    if (screen.get() != Screen.PROFILE || !taps.accept("profile-skip")) {
      return;
    }
    touched();
    profile.get().clear();
    session.profile(Optional.empty(), Optional.empty());
    finish();
  }

  /** "Terminer" on the thank-you screen: ready for the next resident. */
  public void done() {
    if (screen.get() == Screen.THANK_YOU && taps.accept("done")) {
      startOver();
    }
  }

  /** The text size switch, on every screen. */
  public void switchTextSize() {
    if (taps.accept("text-size")) {
      textSize.set(textSize.get().next());
      touched();
    }
  }

  /** "Oui, je suis là": the overlay goes and the resident carries on. */
  public void stillHere() {
    touched();
  }

  /**
   * Any touch or key anywhere on the screen: hides the "Encore là ?" overlay and restarts the
   * inactivity timer. The views call it from an event filter, before the control's own action.
   */
  public void touched() {
    if (stillThere.get()) {
      stillThere.set(false);
      cancel(countdownTask);
      countdownTask = null;
    }
    cancel(inactivityTask);
    inactivityTask = null;
    if (residentScreen()) {
      inactivityTask = scheduler.schedule(event.timeouts().inactivity(), this::inactive);
    }
  }

  /** The screens on which a resident is in the middle of taking part. */
  private boolean residentScreen() {
    Screen now = screen.get();
    return now == Screen.LANGUAGE
        || now == Screen.QUESTION
        || now == Screen.IDEA
        || now == Screen.PROFILE;
  }

  private void afterQuestions() {
    if (idea.get() != null) {
      question.set(null);
      screen.set(Screen.IDEA);
      touched();
    } else {
      afterIdea();
    }
  }

  private void afterIdea() {
    if (profile.get() != null) {
      question.set(null);
      screen.set(Screen.PROFILE);
      touched();
    } else {
      finish();
    }
  }

  // Inner workings.

  private void showQuestion(int index) {
    questionIndex.set(index);
    screen.set(Screen.QUESTION);
    question.set(questions.get(index));
  }

  private void finish() {
    if (!session.canComplete()) {
      log.debug("Participation finished without any answer: dropped");
      session.abandon();
      startOver();
      return;
    }
    try {
      lastRecord = session.complete();
    } catch (StoreException | RuntimeException e) {
      // A full disk, a database gone: the answers stay in memory, the resident may try again.
      log.error(
          "Cannot save a participation in {}; the resident sees a message and may try again: {}",
          engine.deviceId(),
          e.toString(),
          e);
      problem.set(messages.get().text("problem.save"));
      return;
    }
    problem.set("");
    cancel(inactivityTask);
    inactivityTask = null;
    question.set(null);
    idea.set(null);
    profile.set(null);
    showThankYou(session.ticket());
  }

  /** The thank-you screen, with the ticket when one was earned, and the ticket to the printer. */
  private void showThankYou(Optional<SignedTicket> earned) {
    if (earned.isPresent()) {
      TicketPrint print = tickets.toPrint(earned.get(), eventTitle(), language.get().locale());
      ticket.set(print);
      printState.set(PrintState.PRINTING);
      tickets.printIssued(
          print,
          result -> {
            // The resident may have left already: only the screen of this ticket changes.
            if (ticket.get() == print) {
              printState.set(
                  result instanceof PrintResult.Printed ? PrintState.PRINTED : PrintState.FAILED);
            }
          });
    } else {
      ticket.set(null);
      printState.set(PrintState.NONE);
    }
    screen.set(Screen.THANK_YOU);
    thankYouTask = scheduler.schedule(settings.thankYouTime(), this::startOver);
  }

  private void inactive() {
    inactivityTask = null;
    if (!residentScreen()) {
      return;
    }
    stillThere.set(true);
    secondsLeft.set((int) Math.max(1, event.timeouts().countdown().toSeconds()));
    countdownTask = scheduler.schedule(TICK, this::tick);
  }

  private void tick() {
    countdownTask = null;
    if (!stillThere.get()) {
      return;
    }
    int left = secondsLeft.get() - 1;
    secondsLeft.set(Math.max(0, left));
    if (left > 0) {
      countdownTask = scheduler.schedule(TICK, this::tick);
    } else {
      walkedAway();
    }
  }

  private void walkedAway() {
    if (session != null && session.state() == ParticipationSession.State.OPEN) {
      if (settings.partialAnswers() == KioskSettings.PartialAnswers.KEEP && session.canComplete()) {
        try {
          lastRecord = session.complete();
          log.info("Resident walked away: partial answers kept as seq {}", lastRecord.seq());
        } catch (StoreException e) {
          log.error("Cannot save the partial answers of a resident who walked away", e);
          session.abandon();
        }
      } else {
        session.abandon();
        log.info("Resident walked away: answers dropped");
      }
    }
    startOver();
  }

  /** Back to a fresh attract screen: nothing of the previous resident stays. */
  private void startOver() {
    cancel(inactivityTask);
    cancel(countdownTask);
    cancel(thankYouTask);
    inactivityTask = null;
    countdownTask = null;
    thankYouTask = null;
    if (session != null && session.state() == ParticipationSession.State.OPEN) {
      session.abandon();
    }
    session = null;
    questions.clear();
    question.set(null);
    idea.set(null);
    profile.set(null);
    questionIndex.set(0);
    stillThere.set(false);
    problem.set("");
    ticket.set(null);
    printState.set(PrintState.NONE);
    taps.reset();
    setLanguage(Language.FR);
    textSize.set(TextSize.NORMAL);
    screen.set(Screen.ATTRACT);
  }

  private void setLanguage(Language chosen) {
    if (language.get() != chosen) {
      messages.set(Messages.of(chosen));
      language.set(chosen);
    }
  }

  private static void cancel(UiScheduler.Task task) {
    if (task != null) {
      task.cancel();
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.kiosk.ui.UiScheduler;
import terrain.kiosk.ui.keyboard.Key;
import terrain.kiosk.ui.keyboard.KeyboardLayout;
import terrain.kiosk.ui.keyboard.KeyboardModel;

/**
 * The only way out of the kiosk: staff hold a corner of the screen for a few seconds, a PIN pad
 * (the kiosk's keyboard, {@link KeyboardLayout#PIN}) shows, and the right PIN runs the exit action.
 * A wrong PIN clears the pad; the pad hides itself when nobody types for a while, so a curious
 * resident who found it does not leave it open.
 *
 * <p>After {@link #FREE_TRIES} wrong PINs in a row the pad refuses every PIN for {@link
 * #FIRST_LOCKOUT}, and each further wrong PIN doubles the wait, up to {@link #MAX_LOCKOUT}; the
 * right PIN resets the count. A PIN has few digits: this is what protects it on the device. The
 * count and the lockout's end are kept ({@link LockoutStore}): a restart does not reset them.
 *
 * <p>The PIN is checked off the models' thread: a hashed PIN costs 600,000 PBKDF2 rounds ({@link
 * terrain.core.trust.PinHash}), about a second on a Raspberry Pi, and the screen would freeze for
 * that long. The pad takes no key while it checks ({@link #checkingProperty()}).
 */
public final class StaffExitModel {
  private static final Logger log = LoggerFactory.getLogger(StaffExitModel.class);

  /** The pad hides after this long without a key. */
  public static final Duration PAD_TIMEOUT = Duration.ofSeconds(30);

  /** Wrong PINs in a row before the pad locks. */
  public static final int FREE_TRIES = 5;

  /** The first lockout; each further wrong PIN doubles it. */
  public static final Duration FIRST_LOCKOUT = Duration.ofSeconds(30);

  /** The longest lockout. */
  public static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);

  /** The wrong PINs in a row and when the lockout ends (null: not locked). */
  public record Lockout(int wrongInARow, Instant lockedUntil) {
    public static final Lockout NONE = new Lockout(0, null);
  }

  /** Where the lockout is kept across restarts (the kiosk's database). */
  public interface LockoutStore {
    Lockout load();

    void save(Lockout lockout);

    /** Kept in memory only (tests). */
    LockoutStore NONE =
        new LockoutStore() {
          @Override
          public Lockout load() {
            return Lockout.NONE;
          }

          @Override
          public void save(Lockout lockout) {}
        };
  }

  /** The lockout kept in {@code engine}'s database. */
  public static LockoutStore storedIn(terrain.kiosk.session.KioskEngine engine) {
    return new StoredLockout(engine);
  }

  /** The longest PIN the pad takes. */
  private static final int MAX_DIGITS = 8;

  private final StaffPin pin;
  private final Duration hold;
  private final UiScheduler scheduler;
  private final Clock clock;
  private final ReadOnlyLongWrapper lockedSeconds = new ReadOnlyLongWrapper(0);
  private int wrongInARow;
  private Instant lockedUntil;
  private UiScheduler.Task lockTick;
  private final Runnable exit;
  private final Executor io;
  private final Executor ui;
  private final ReadOnlyBooleanWrapper checking = new ReadOnlyBooleanWrapper(false);
  private final LockoutStore lockouts;
  private final KeyboardModel pad = new KeyboardModel(KeyboardLayout.PIN, Locale.ROOT, MAX_DIGITS);
  private final ReadOnlyBooleanWrapper padVisible = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyBooleanWrapper wrongPin = new ReadOnlyBooleanWrapper(false);
  private UiScheduler.Task holdTask;
  private UiScheduler.Task padTimeout;

  /**
   * @param pin the staff PIN
   * @param hold how long the corner must be held
   * @param scheduler runs the timeouts on the UI thread
   * @param clock times the lockouts (the scheduler's own time in tests)
   * @param io checks the PIN off the models' thread
   * @param ui runs the check's outcome on the models' thread
   * @param lockouts where the count of wrong PINs is kept across restarts (read here, written on
   *     {@code io})
   * @param exit what the right PIN does (open the staff panel)
   */
  public StaffExitModel(
      StaffPin pin,
      Duration hold,
      UiScheduler scheduler,
      Clock clock,
      Executor io,
      Executor ui,
      LockoutStore lockouts,
      Runnable exit) {
    this.pin = pin;
    this.hold = hold;
    this.scheduler = scheduler;
    this.clock = clock;
    this.io = io;
    this.ui = ui;
    this.lockouts = lockouts;
    this.exit = exit;
    Lockout kept = lockouts.load();
    wrongInARow = kept.wrongInARow();
    if (kept.lockedUntil() != null) {
      // A clock set back since (a Pi has no battery clock) must not lock the pad for longer.
      Instant latest = clock.instant().plus(MAX_LOCKOUT);
      lockedUntil = kept.lockedUntil().isAfter(latest) ? latest : kept.lockedUntil();
      tickLock();
    }
    pad.onEnter(this::submit);
    pad.textProperty()
        .addListener(
            (obs, was, now) -> {
              if (!padVisible.get()) {
                return;
              }
              if (now.length() > was.length()) {
                wrongPin.set(false);
              }
              armPadTimeout();
            });
  }

  /** The keys of the PIN pad; the view binds a keyboard to it. */
  public KeyboardModel pad() {
    return pad;
  }

  public ReadOnlyBooleanProperty padVisibleProperty() {
    return padVisible.getReadOnlyProperty();
  }

  public boolean isPadVisible() {
    return padVisible.get();
  }

  /** How many digits are typed, shown as dots. */
  public ReadOnlyIntegerProperty enteredLengthProperty() {
    return pad.lengthProperty();
  }

  /** The last PIN tried was wrong; cleared by the next key. */
  public ReadOnlyBooleanProperty wrongPinProperty() {
    return wrongPin.getReadOnlyProperty();
  }

  /**
   * Seconds left before the pad takes a PIN again after too many wrong ones, 0 when it takes one.
   */
  public ReadOnlyLongProperty lockedSecondsProperty() {
    return lockedSeconds.getReadOnlyProperty();
  }

  /** A PIN is being checked: the pad takes no key until the answer. */
  public ReadOnlyBooleanProperty checkingProperty() {
    return checking.getReadOnlyProperty();
  }

  public boolean isChecking() {
    return checking.get();
  }

  /** Whether the pad refuses PINs now (too many wrong ones). */
  public boolean isLocked() {
    return lockedUntil != null && clock.instant().isBefore(lockedUntil);
  }

  /** Wrong PINs typed in a row since the last right one. */
  public int wrongInARow() {
    return wrongInARow;
  }

  /** The wait after the {@code wrong}-th wrong PIN in a row: none before {@link #FREE_TRIES}. */
  public static Duration lockoutAfter(int wrong) {
    if (wrong < FREE_TRIES) {
      return Duration.ZERO;
    }
    int doublings = Math.min(wrong - FREE_TRIES, 20);
    Duration wait = FIRST_LOCKOUT.multipliedBy(1L << doublings);
    return wait.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : wait;
  }

  /** A finger went down on the staff corner. */
  public void cornerPressed() {
    cancelHold();
    holdTask = scheduler.schedule(hold, this::showPad);
  }

  /** The finger left the corner: before the hold time, nothing happens. */
  public void cornerReleased() {
    cancelHold();
  }

  /** A digit key of the pad. */
  public void digit(int digit) {
    if (!padVisible.get() || digit < 0 || digit > 9 || isLocked() || checking.get()) {
      return;
    }
    wrongPin.set(false);
    pad.press(Key.character('0' + digit));
    armPadTimeout();
  }

  /** The pad's backspace. */
  public void erase() {
    if (checking.get()) {
      return;
    }
    pad.press(Key.BACKSPACE);
    armPadTimeout();
  }

  /**
   * Checks the PIN off the models' thread; then, right, the pad hides and the exit action runs;
   * wrong, the pad clears (and locks after too many). While locked or checking, nothing is checked.
   */
  public void submit() {
    if (!padVisible.get() || checking.get()) {
      return;
    }
    if (isLocked()) {
      clearEntry();
      armPadTimeout();
      return;
    }
    String typed = pad.text();
    clearEntry();
    checking.set(true);
    try {
      io.execute(
          () -> {
            boolean right;
            try {
              right = pin.matches(typed);
            } catch (RuntimeException e) {
              log.error("The staff PIN could not be checked; taken as wrong", e);
              right = false;
            }
            boolean outcome = right;
            ui.execute(() -> checked(outcome));
          });
    } catch (RejectedExecutionException e) {
      log.debug("PIN not checked: the app is stopping", e);
      checking.set(false);
    }
  }

  /**
   * The check's answer, on the models' thread. A wrong PIN counts even if the pad was closed
   * meanwhile (closing it must not be a way around the lockout); a right one opens nothing then.
   */
  private void checked(boolean right) {
    checking.set(false);
    if (right) {
      if (wrongInARow > 0 || lockedUntil != null) {
        keep(Lockout.NONE);
      }
      wrongInARow = 0;
      if (padVisible.get()) {
        hidePad();
        exit.run();
      }
      return;
    }
    wrongInARow++;
    Duration wait = lockoutAfter(wrongInARow);
    if (!wait.isZero()) {
      lockedUntil = clock.instant().plus(wait);
      tickLock();
    }
    keep(new Lockout(wrongInARow, lockedUntil));
    if (padVisible.get()) {
      wrongPin.set(true);
      armPadTimeout();
    }
  }

  /** Writes the lockout off the models' thread (a database commit). */
  private void keep(Lockout lockout) {
    try {
      io.execute(() -> lockouts.save(lockout));
    } catch (RejectedExecutionException e) {
      log.debug("PIN lockout not kept: the app is stopping", e);
    }
  }

  /** Updates the seconds left, every second until the lockout ends. */
  private void tickLock() {
    if (lockTick != null) {
      lockTick.cancel();
      lockTick = null;
    }
    Duration left =
        lockedUntil == null ? Duration.ZERO : Duration.between(clock.instant(), lockedUntil);
    if (left.isNegative() || left.isZero()) {
      lockedUntil = null;
      lockedSeconds.set(0);
      return;
    }
    long seconds = (left.toMillis() + 999) / 1000;
    lockedSeconds.set(seconds);
    Duration next = left.minusSeconds(seconds - 1);
    lockTick = scheduler.schedule(next, this::tickLock);
  }

  /** Closes the pad without leaving. */
  public void cancel() {
    hidePad();
  }

  /** Shows the PIN pad at once (the tablet home's settings button: no corner to hold). */
  public void openPad() {
    cancelHold();
    showPad();
  }

  private void showPad() {
    holdTask = null;
    clearEntry();
    wrongPin.set(false);
    padVisible.set(true);
    armPadTimeout();
  }

  private void hidePad() {
    clearEntry();
    wrongPin.set(false);
    padVisible.set(false);
    if (padTimeout != null) {
      padTimeout.cancel();
      padTimeout = null;
    }
  }

  private void armPadTimeout() {
    if (padTimeout != null) {
      padTimeout.cancel();
    }
    padTimeout = scheduler.schedule(PAD_TIMEOUT, this::hidePad);
  }

  private void clearEntry() {
    pad.clear();
  }

  private void cancelHold() {
    if (holdTask != null) {
      holdTask.cancel();
      holdTask = null;
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import java.time.Duration;
import java.util.Locale;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import terrain.kiosk.ui.UiScheduler;
import terrain.kiosk.ui.keyboard.Key;
import terrain.kiosk.ui.keyboard.KeyboardLayout;
import terrain.kiosk.ui.keyboard.KeyboardModel;

/**
 * The only way out of the kiosk: staff hold a corner of the screen for a few seconds, a PIN pad
 * (the kiosk's keyboard, {@link KeyboardLayout#PIN}) shows, and the right PIN runs the exit action.
 * A wrong PIN clears the pad; the pad hides itself when nobody types for a while, so a curious
 * resident who found it does not leave it open.
 */
public final class StaffExitModel {
  /** The pad hides after this long without a key. */
  public static final Duration PAD_TIMEOUT = Duration.ofSeconds(30);

  /** The longest PIN the pad takes. */
  private static final int MAX_DIGITS = 8;

  private final String pin;
  private final Duration hold;
  private final UiScheduler scheduler;
  private final Runnable exit;
  private final KeyboardModel pad = new KeyboardModel(KeyboardLayout.PIN, Locale.ROOT, MAX_DIGITS);
  private final ReadOnlyBooleanWrapper padVisible = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyBooleanWrapper wrongPin = new ReadOnlyBooleanWrapper(false);
  private UiScheduler.Task holdTask;
  private UiScheduler.Task padTimeout;

  /**
   * @param pin the staff PIN
   * @param hold how long the corner must be held
   * @param exit what the right PIN does (leave the kiosk; later, open the staff panel)
   */
  public StaffExitModel(String pin, Duration hold, UiScheduler scheduler, Runnable exit) {
    this.pin = pin;
    this.hold = hold;
    this.scheduler = scheduler;
    this.exit = exit;
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
    if (!padVisible.get() || digit < 0 || digit > 9) {
      return;
    }
    wrongPin.set(false);
    pad.press(Key.character('0' + digit));
    armPadTimeout();
  }

  /** The pad's backspace. */
  public void erase() {
    pad.press(Key.BACKSPACE);
    armPadTimeout();
  }

  /** Checks the PIN: right, the pad hides and the exit action runs; wrong, the pad clears. */
  public void submit() {
    if (!padVisible.get()) {
      return;
    }
    boolean right = pin.equals(pad.text());
    clearEntry();
    if (right) {
      hidePad();
      exit.run();
    } else {
      wrongPin.set(true);
      armPadTimeout();
    }
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

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import terrain.kiosk.ui.staff.StaffExitModel;
import terrain.kiosk.ui.staff.StaffPin;

class StaffExitModelTest {
  private final ManualTime time = new ManualTime();
  private final AtomicInteger exits = new AtomicInteger();
  private final StaffExitModel staff = model(StaffPin.plain("2468"), Runnable::run);

  /** A model whose PIN is checked on {@code io}, its answer on the test's thread. */
  private StaffExitModel model(StaffPin pin, java.util.concurrent.Executor io) {
    return new StaffExitModel(
        pin,
        Duration.ofSeconds(3),
        time,
        time,
        io,
        Runnable::run,
        StaffExitModel.LockoutStore.NONE,
        exits::incrementAndGet);
  }

  private void openPad() {
    staff.cornerPressed();
    time.advance(Duration.ofSeconds(3));
  }

  private void type(String digits) {
    digits.chars().forEach(c -> staff.digit(c - '0'));
  }

  @Test
  void cornerPressed_whenHeldThreeSeconds_showsThePad() {
    staff.cornerPressed();
    time.advance(Duration.ofMillis(2999));
    assertFalse(staff.isPadVisible());

    time.advance(Duration.ofMillis(1));

    assertTrue(staff.isPadVisible());
  }

  @Test
  void cornerReleased_whenBeforeTheHoldTime_showsNothing() {
    staff.cornerPressed();
    time.advance(Duration.ofSeconds(2));

    staff.cornerReleased();
    time.advance(Duration.ofSeconds(5));

    assertFalse(staff.isPadVisible());
  }

  @Test
  void submit_whenRightPin_exits() {
    openPad();
    type("2468");

    staff.submit();

    assertEquals(1, exits.get());
    assertFalse(staff.isPadVisible());
  }

  @Test
  void submit_whenWrongPin_staysAndClearsTheEntry() {
    openPad();
    type("1357");

    staff.submit();

    assertEquals(0, exits.get());
    assertTrue(staff.isPadVisible());
    assertTrue(staff.wrongPinProperty().get());
    assertEquals(0, staff.enteredLengthProperty().get());
    type("2468");
    staff.submit();
    assertEquals(1, exits.get());
  }

  @Test
  void erase_whenTyped_removesTheLastDigit() {
    openPad();
    type("24689");

    staff.erase();
    staff.submit();

    assertEquals(1, exits.get());
  }

  @Test
  void digit_whenPadHidden_isIgnored() {
    type("2468");
    staff.submit();
    openPad();
    staff.submit();

    assertEquals(0, exits.get());
  }

  @Test
  void pad_whenLeftAlone_hidesItself() {
    openPad();
    type("24");

    time.advance(StaffExitModel.PAD_TIMEOUT);

    assertFalse(staff.isPadVisible());
    assertEquals(0, staff.enteredLengthProperty().get());
  }

  private void wrong(int times) {
    for (int i = 0; i < times; i++) {
      type("1111");
      staff.submit();
    }
  }

  @Test
  void submit_whenFiveWrongPins_locksThePadThirtySecondsAndRefusesEvenTheRightOne() {
    openPad();
    wrong(4);
    assertFalse(staff.isLocked(), "four wrong PINs are free");

    wrong(1);

    assertTrue(staff.isLocked());
    assertEquals(30, staff.lockedSecondsProperty().get());
    type("2468");
    staff.submit();
    assertEquals(0, exits.get(), "the right PIN is refused while locked");
    assertEquals(0, staff.enteredLengthProperty().get(), "digits are refused while locked");
    time.advance(Duration.ofSeconds(10));
    assertEquals(20, staff.lockedSecondsProperty().get(), "the pad counts down");
    time.advance(Duration.ofSeconds(20));
    assertFalse(staff.isLocked());
    assertEquals(0, staff.lockedSecondsProperty().get());
  }

  @Test
  void submit_whenWrongAgainAfterALockout_doublesTheWaitUpToFifteenMinutes() {
    openPad();
    wrong(5);
    time.advance(Duration.ofSeconds(30));

    staff.openPad();
    wrong(1);

    assertEquals(60, staff.lockedSecondsProperty().get());
    time.advance(Duration.ofSeconds(59));
    assertTrue(staff.isLocked());
    time.advance(Duration.ofSeconds(1));
    assertFalse(staff.isLocked());
    assertEquals(Duration.ofSeconds(120), StaffExitModel.lockoutAfter(7));
    assertEquals(Duration.ofSeconds(480), StaffExitModel.lockoutAfter(9));
    assertEquals(Duration.ofMinutes(15), StaffExitModel.lockoutAfter(10));
    assertEquals(Duration.ofMinutes(15), StaffExitModel.lockoutAfter(1_000));
    assertEquals(Duration.ZERO, StaffExitModel.lockoutAfter(4));
  }

  @Test
  void submit_whenRightPinAfterALockout_resetsTheCount() {
    openPad();
    wrong(5);
    time.advance(Duration.ofSeconds(30));
    staff.openPad();

    type("2468");
    staff.submit();

    assertEquals(1, exits.get());
    assertEquals(0, staff.wrongInARow());
    staff.openPad();
    wrong(4);
    assertFalse(staff.isLocked(), "the count started again");
  }

  @Test
  void lockout_whenPadHiddenAndReopened_stillHolds() {
    openPad();
    wrong(5);
    staff.cancel();

    openPad();

    assertTrue(staff.isLocked());
    assertEquals(27, staff.lockedSecondsProperty().get(), "3 s passed holding the corner");
  }

  @Test
  void submit_whenPinHashed_checksAgainstTheBundlesHash() throws Exception {
    String hash = terrain.core.trust.PinHash.hash("482913", new java.security.SecureRandom(), 1000);
    StaffExitModel hashed = model(StaffPin.hashed(hash), Runnable::run);
    hashed.openPad();
    "111111".chars().forEach(c -> hashed.digit(c - '0'));
    hashed.submit();
    assertEquals(0, exits.get());

    "482913".chars().forEach(c -> hashed.digit(c - '0'));
    hashed.submit();

    assertEquals(1, exits.get());
  }

  /**
   * A PIN checked off the models' thread: what the check ran on, and what the pad does meanwhile.
   */
  private final java.util.Queue<Runnable> checks = new java.util.ArrayDeque<>();

  private final StaffExitModel held = model(StaffPin.plain("2468"), checks::add);

  /** Runs what went to the io executor: the check, then what it keeps. */
  private void runIo() {
    while (!checks.isEmpty()) {
      checks.remove().run();
    }
  }

  @Test
  void submit_checksOffTheModelsThread_andThePadTakesNoKeyUntilTheAnswer() {
    held.openPad();
    "2468".chars().forEach(c -> held.digit(c - '0'));

    held.submit();

    assertTrue(held.isChecking());
    assertEquals(0, exits.get(), "nothing decided before the check ran");
    assertEquals(1, checks.size(), "the check went to the io executor");
    assertEquals(0, held.enteredLengthProperty().get(), "the typed PIN is cleared at once");
    held.digit(1);
    held.erase();
    held.submit();
    assertEquals(0, held.enteredLengthProperty().get(), "no key while checking");
    assertEquals(1, checks.size(), "a second submit while checking checks nothing");

    runIo();

    assertFalse(held.isChecking());
    assertEquals(1, exits.get());
    assertFalse(held.isPadVisible());
  }

  @Test
  void submit_whenWrongAndThePadClosedDuringTheCheck_stillCountsTowardTheLockout() {
    held.openPad();
    for (int i = 0; i < StaffExitModel.FREE_TRIES; i++) {
      "1111".chars().forEach(c -> held.digit(c - '0'));
      held.submit();
      held.cancel(); // closing the pad while the check runs is no way around the count
      runIo();
      held.openPad();
    }

    assertEquals(StaffExitModel.FREE_TRIES, held.wrongInARow());
    assertTrue(held.isLocked());
    assertEquals(0, exits.get());
  }

  @Test
  void submit_whenRightButThePadWasClosedDuringTheCheck_opensNothing() {
    held.openPad();
    "2468".chars().forEach(c -> held.digit(c - '0'));
    held.submit();
    held.cancel();

    runIo();

    assertEquals(0, exits.get());
    assertFalse(held.isPadVisible());
    assertFalse(held.isChecking());
  }
}

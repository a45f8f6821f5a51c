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
  private final StaffExitModel staff =
      new StaffExitModel(
          StaffPin.plain("2468"), Duration.ofSeconds(3), time, time, exits::incrementAndGet);

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
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.kiosk.session.KioskEngine;
import terrain.kiosk.ui.ManualTime;

/**
 * The PIN pad's lockout kept in the kiosk's Derby database: a restart (the engine closed and the
 * folder opened again, as after pulling the plug) does not give a guesser fresh tries.
 */
class StoredLockoutTest {
  @TempDir Path dir;
  private final ManualTime time = new ManualTime();
  private final AtomicInteger exits = new AtomicInteger();

  private KioskEngine open() throws Exception {
    return KioskEngine.open(dir, Optional.empty(), time, new SplittableRandom(1));
  }

  private StaffExitModel pad(KioskEngine engine) {
    return new StaffExitModel(
        StaffPin.plain("2468"),
        Duration.ofSeconds(3),
        time,
        time,
        Runnable::run,
        Runnable::run,
        StaffExitModel.storedIn(engine),
        exits::incrementAndGet);
  }

  private static void tryPin(StaffExitModel pad, String digits) {
    pad.openPad();
    digits.chars().forEach(c -> pad.digit(c - '0'));
    pad.submit();
  }

  @Test
  void restart_whenLockedByWrongPins_staysLockedAndTheNextWrongPinDoublesTheWait()
      throws Exception {
    try (KioskEngine engine = open()) {
      StaffExitModel pad = pad(engine);
      for (int i = 0; i < StaffExitModel.FREE_TRIES; i++) {
        tryPin(pad, "1111");
      }
      assertTrue(pad.isLocked());
    }
    time.advance(Duration.ofSeconds(10));

    try (KioskEngine engine = open()) {
      StaffExitModel pad = pad(engine);

      assertTrue(pad.isLocked(), "still locked after the restart");
      assertEquals(StaffExitModel.FREE_TRIES, pad.wrongInARow());
      assertEquals(20, pad.lockedSecondsProperty().get());
      time.advance(Duration.ofSeconds(20));
      assertFalse(pad.isLocked());
      tryPin(pad, "1111");
      assertEquals(60, pad.lockedSecondsProperty().get(), "the sixth wrong PIN: 60 s");
    }
  }

  @Test
  void restart_afterTheRightPin_startsWithEveryFreeTry() throws Exception {
    try (KioskEngine engine = open()) {
      StaffExitModel pad = pad(engine);
      tryPin(pad, "1111");
      tryPin(pad, "1111");
      tryPin(pad, "2468");
      assertEquals(1, exits.get());
    }
    try (KioskEngine engine = open()) {
      StaffExitModel pad = pad(engine);

      assertEquals(0, pad.wrongInARow());
      assertFalse(pad.isLocked());
    }
  }

  @Test
  void restart_whenTheClockWentBack_locksNoLongerThanTheLongestLockout() throws Exception {
    try (KioskEngine engine = open()) {
      engine.setSetting(
          StoredLockout.SETTING,
          StoredLockout.format(
              new StaffExitModel.Lockout(9, time.instant().plus(Duration.ofDays(30)))));
    }
    try (KioskEngine engine = open()) {
      StaffExitModel pad = pad(engine);

      assertTrue(pad.isLocked());
      assertEquals(StaffExitModel.MAX_LOCKOUT.toSeconds(), pad.lockedSecondsProperty().get());
    }
  }

  @Test
  void load_whenTheStoredValuesAreBroken_startsWithoutALockout() throws Exception {
    try (KioskEngine engine = open()) {
      engine.setSetting(StoredLockout.SETTING, "many;soon");

      assertEquals(StaffExitModel.Lockout.NONE, StaffExitModel.storedIn(engine).load());
      assertFalse(pad(engine).isLocked(), "the pad opens as on a first start");
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.kiosk.session.KioskEngine;
import terrain.store.StoreException;

/**
 * The PIN pad's count of wrong PINs and the end of its lockout, kept in the kiosk's database: a
 * restart (pulling the plug) no longer gives a guesser five fresh tries.
 */
final class StoredLockout implements StaffExitModel.LockoutStore {
  private static final Logger log = LoggerFactory.getLogger(StoredLockout.class);

  static final String WRONG_SETTING = "staff.wrong-pins-in-a-row";
  static final String UNTIL_SETTING = "staff.locked-until";

  private final KioskEngine engine;

  StoredLockout(KioskEngine engine) {
    this.engine = engine;
  }

  @Override
  public StaffExitModel.Lockout load() {
    try {
      int wrong = engine.setting(WRONG_SETTING).map(Integer::parseInt).orElse(0);
      Instant until =
          engine
              .setting(UNTIL_SETTING)
              .filter(v -> !v.isEmpty())
              .map(v -> Instant.ofEpochMilli(Long.parseLong(v)))
              .orElse(null);
      return new StaffExitModel.Lockout(Math.max(0, wrong), until);
    } catch (StoreException | RuntimeException e) {
      // A lost count only gives back the free tries; the kiosk must start all the same.
      log.warn("Cannot read the PIN pad's lockout; starting without one: {}", e.toString());
      return StaffExitModel.Lockout.NONE;
    }
  }

  @Override
  public void save(StaffExitModel.Lockout lockout) {
    try {
      engine.setSetting(WRONG_SETTING, Integer.toString(lockout.wrongInARow()));
      engine.setSetting(
          UNTIL_SETTING,
          lockout.lockedUntil() == null ? "" : Long.toString(lockout.lockedUntil().toEpochMilli()));
    } catch (StoreException | RuntimeException e) {
      log.warn("Cannot keep the PIN pad's lockout across a restart: {}", e.toString());
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.kiosk.session.KioskEngine;
import terrain.store.StoreException;

/**
 * The PIN pad's count of wrong PINs and the end of its lockout, kept in the kiosk's database: a
 * restart (pulling the plug) no longer gives a guesser five fresh tries. One setting, {@code
 * COUNT;UNTIL} (epoch milliseconds, empty when not locked): one read at start, one commit a change.
 */
final class StoredLockout implements StaffExitModel.LockoutStore {
  private static final Logger log = LoggerFactory.getLogger(StoredLockout.class);

  static final String SETTING = "staff.lockout";

  private final KioskEngine engine;

  StoredLockout(KioskEngine engine) {
    this.engine = engine;
  }

  /** The setting's value for {@code lockout}. */
  static String format(StaffExitModel.Lockout lockout) {
    return lockout.wrongInARow()
        + ";"
        + (lockout.lockedUntil() == null ? "" : lockout.lockedUntil().toEpochMilli());
  }

  @Override
  public StaffExitModel.Lockout load() {
    try {
      return engine.setting(SETTING).map(StoredLockout::parse).orElse(StaffExitModel.Lockout.NONE);
    } catch (StoreException | RuntimeException e) {
      // A lost count only gives back the free tries; the kiosk must start all the same.
      log.warn("Cannot read the PIN pad's lockout; starting without one: {}", e.toString());
      return StaffExitModel.Lockout.NONE;
    }
  }

  private static StaffExitModel.Lockout parse(String value) {
    int semicolon = value.indexOf(';');
    if (semicolon < 0) {
      throw new IllegalArgumentException("not COUNT;UNTIL: " + value);
    }
    int wrong = Integer.parseInt(value.substring(0, semicolon));
    String until = value.substring(semicolon + 1);
    return new StaffExitModel.Lockout(
        Math.max(0, wrong), until.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(until)));
  }

  @Override
  public void save(StaffExitModel.Lockout lockout) {
    try {
      engine.setSetting(SETTING, format(lockout));
    } catch (StoreException | RuntimeException e) {
      log.warn("Cannot keep the PIN pad's lockout across a restart: {}", e.toString());
    }
  }
}

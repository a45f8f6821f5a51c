// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.staff;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import terrain.core.trust.PinHash;

/**
 * What the staff PIN pad checks a PIN against: the hash of the enrolled device's bundle ({@link
 * PinHash}), or, in development ({@code --dev}), digits given on the command line.
 */
public interface StaffPin {

  /** Whether {@code typed} is the staff PIN. */
  boolean matches(String typed);

  /**
   * Digits given on the command line (development).
   *
   * @throws IllegalArgumentException if they are not 4 to 8 digits
   */
  static StaffPin plain(String digits) {
    Objects.requireNonNull(digits, "Staff PIN must not be null");
    if (!PinHash.isValidPin(digits)) {
      throw new IllegalArgumentException(
          "Staff PIN must be 4 to 8 digits, e.g. --pin 482913; got "
              + digits.length()
              + " characters");
    }
    byte[] expected = digits.getBytes(StandardCharsets.US_ASCII);
    return new StaffPin() {
      @Override
      public boolean matches(String typed) {
        return typed != null
            && MessageDigest.isEqual(expected, typed.getBytes(StandardCharsets.US_ASCII));
      }

      @Override
      public String toString() {
        return "StaffPin[plain, ***]";
      }
    };
  }

  /**
   * The PIN of an enrolled device's bundle.
   *
   * @throws IllegalArgumentException if {@code pinHash} is not a {@link PinHash}
   */
  static StaffPin hashed(String pinHash) {
    if (!PinHash.isHash(pinHash)) {
      throw new IllegalArgumentException(
          "the bundle's staff PIN hash is not valid: ask ops to set the PIN again and roll the"
              + " device");
    }
    return new StaffPin() {
      @Override
      public boolean matches(String typed) {
        return PinHash.matches(pinHash, typed);
      }

      @Override
      public String toString() {
        return "StaffPin[hashed]";
      }
    };
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.record;

import java.util.regex.Pattern;

/**
 * The identity of a device (kiosk, tablet, hub). It appears in MQTT topics and on the wire, so it
 * is restricted to characters that are safe in both.
 */
public record DeviceId(String value) implements Comparable<DeviceId> {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public DeviceId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Device id ["
              + value
              + "] must be 1 to 64 characters among letters, digits, '.', '_' and '-'");
    }
  }

  public static DeviceId of(String value) {
    return new DeviceId(value);
  }

  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }

  @Override
  public int compareTo(DeviceId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}

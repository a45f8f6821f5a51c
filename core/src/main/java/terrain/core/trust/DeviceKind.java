// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.trust;

import java.util.Locale;

/** What an enrolled device is; it decides the MQTT username prefix and what the bundle holds. */
public enum DeviceKind {
  KIOSK,
  TABLET,
  HUB;

  /** The lower-case name used on the command line, in bundles and in the admin API. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind of {@code kiosk}, {@code tablet} or {@code hub} (any case). */
  public static DeviceKind parse(String text) throws TrustException {
    if (text != null) {
      for (DeviceKind kind : values()) {
        if (kind.label().equalsIgnoreCase(text.strip())) {
          return kind;
        }
      }
    }
    throw new TrustException(
        "device kind [" + text + "] is not one of kiosk, tablet, hub: pass one of them");
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.panel;

import java.util.List;
import java.util.Objects;
import terrain.hardware.gpio.GpioPins;
import terrain.hardware.printer.PrinterChoice;

/**
 * The hub's hardware on site: a slip printer, a status light and a button.
 *
 * @param printer where slips print, or null for none ({@code --printer})
 * @param pins the light's and the button's GPIO lines ({@code --light-pins}, {@code --button-pin})
 * @param shutdownCommand run after the hub stopped on a 3-s hold of the button, e.g. {@code
 *     systemctl poweroff}; empty: the hub only stops ({@code --shutdown-command})
 */
public record PanelSettings(PrinterChoice printer, GpioPins pins, List<String> shutdownCommand) {
  public PanelSettings {
    Objects.requireNonNull(pins, "PanelSettings pins must not be null");
    shutdownCommand = List.copyOf(shutdownCommand);
  }

  /** No printer, no light, no button. */
  public static PanelSettings none() {
    return new PanelSettings(null, GpioPins.none(), List.of());
  }

  /** {@code --shutdown-command} split on spaces; blank or null for none. */
  public static List<String> command(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return List.of(text.strip().split("\\s+"));
  }
}

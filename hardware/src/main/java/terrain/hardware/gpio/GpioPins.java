// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.gpio;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which GPIO lines (BCM numbers, as printed on Raspberry Pi pinout charts: "GPIO17") drive the
 * status light and read the button.
 *
 * @param light red, green and optionally blue lines of the light; empty for no light
 * @param button the button's line, or null for no button
 */
public record GpioPins(List<Integer> light, Integer button) {

  /** The highest line of the Raspberry Pi's 40-pin header (GPIO0 to GPIO27). */
  public static final int MAX_LINE = 27;

  public GpioPins {
    light = List.copyOf(light);
    List<String> problems = new ArrayList<>();
    if (!light.isEmpty() && (light.size() < 2 || light.size() > 3)) {
      problems.add(
          "--light-pins "
              + light
              + " must name 2 or 3 lines, red then green (then blue), e.g. --light-pins 17,27");
    }
    Set<Integer> seen = new HashSet<>();
    for (Integer line : light) {
      check("--light-pins", line, problems);
      if (!seen.add(line)) {
        problems.add(
            "--light-pins "
                + light
                + " names GPIO"
                + line
                + " twice: give each colour its own line");
      }
    }
    if (button != null) {
      check("--button-pin", button, problems);
      if (seen.contains(button)) {
        problems.add(
            "--button-pin "
                + button
                + " is also a light line: wire the button to another line, e.g. --button-pin 22");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** No light, no button. */
  public static GpioPins none() {
    return new GpioPins(List.of(), null);
  }

  /** Whether any line is used. */
  public boolean any() {
    return !light.isEmpty() || button != null;
  }

  /**
   * Parses {@code --light-pins R,G[,B]} (null or blank for none) and {@code --button-pin N} (null
   * for none).
   */
  public static GpioPins parse(String lightPins, Integer buttonPin) {
    List<Integer> light = new ArrayList<>();
    if (lightPins != null && !lightPins.isBlank()) {
      for (String part : lightPins.split(",", -1)) {
        try {
          light.add(Integer.parseInt(part.strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "--light-pins ["
                  + lightPins
                  + "]: ["
                  + part
                  + "] is not a GPIO number; write the BCM numbers of the red and green (and"
                  + " blue) lines separated by commas, e.g. --light-pins 17,27");
        }
      }
    }
    return new GpioPins(light, buttonPin);
  }

  private static void check(String option, Integer line, List<String> problems) {
    if (line == null || line < 0 || line > MAX_LINE) {
      problems.add(
          option
              + " "
              + line
              + " is not a GPIO line of the header: use a BCM number from 0 to "
              + MAX_LINE);
    }
  }
}

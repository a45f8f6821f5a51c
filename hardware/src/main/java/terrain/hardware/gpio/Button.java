// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.gpio;

import java.time.Duration;

/** A push button that tells a short press from a long hold. */
public interface Button extends AutoCloseable {

  /** How long the button must be held for {@link Listener#held()}. */
  Duration HOLD = Duration.ofSeconds(3);

  /** What the button reports; called on the button's own thread, so keep it short. */
  interface Listener {
    /** Pressed and released within {@link #HOLD}. */
    void shortPress();

    /** Held down for {@link #HOLD}: called once, while still held. */
    void held();
  }

  /** Sets who hears the button (one listener; a later call replaces it). */
  void listen(Listener listener);

  @Override
  void close();
}

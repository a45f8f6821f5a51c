// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hardware.gpio;

/** A light that shows one {@link LightSignal} at a time. */
public interface StatusLight extends AutoCloseable {

  /** Shows {@code signal} until told otherwise; cheap when it is already shown. */
  void show(LightSignal signal);

  /** What the light shows now. */
  LightSignal shown();

  /** Switches the light off and releases it. */
  @Override
  void close();
}

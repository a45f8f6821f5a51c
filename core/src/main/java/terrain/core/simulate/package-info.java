// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Made-up residents: random but valid answers to an event's polls, ideas and "who are you" answers,
 * for the kiosks' {@code simulate}, the benches and the server's warm-up at start.
 */
package terrain.core.simulate;

// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Typed ids of the domain (event, poll, question, wallet, partner), so that a wallet id cannot be
 * passed where a partner id is expected, and a bad id is refused where it enters.
 *
 * <p>Each is a record whose constructor checks the text and names the value and the rule when it
 * refuses it, in the style of {@link terrain.core.record.DeviceId}.
 */
package terrain.core.id;

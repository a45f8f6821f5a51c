// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Bounded reading and writing of the binary encodings (varints, length-prefixed UTF-8) shared by
 * the wire format ({@code terrain.core.wire}), the record bodies ({@code terrain.core.record}) and
 * the ticket record: below both, so that neither depends on the other's package.
 */
package terrain.core.codec;

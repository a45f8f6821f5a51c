// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The definition of an event (a market day, a workshop): its polls, their questions and answer
 * options, the briqs given per action and the kiosk timeouts.
 *
 * <p>Ops staff write an event as a YAML file by hand; {@link terrain.core.event.EventLoader} reads
 * it into an immutable {@link terrain.core.event.EventDefinition} or fails with an {@link
 * terrain.core.event.EventFileException} that lists every problem of the file with its line and
 * column and what to change. The records validate their own invariants, so a definition built in
 * code obeys the same rules as one read from a file.
 */
package terrain.core.event;

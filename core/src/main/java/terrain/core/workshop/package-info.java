// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Workshops on facilitators' tablets: what each tablet does is a {@link
 * terrain.core.workshop.WorkshopAction} in a {@code WORKSHOP} record (the same identity, outbox and
 * acks as the kiosk's), and {@link terrain.core.workshop.WorkshopState} folds any set of them into
 * the room's state. The fold depends only on the set, never on the order records arrived in, so
 * every tablet, the hub and the server converge on the same ideas, groups, votes and timer.
 */
package terrain.core.workshop;

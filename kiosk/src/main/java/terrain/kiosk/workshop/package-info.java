// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * A tablet's view of its workshop room (decision 0031, 0033): its own WORKSHOP records and the
 * hub's relay of everyone's, folded into one {@link terrain.core.workshop.WorkshopState}.
 */
package terrain.kiosk.workshop;

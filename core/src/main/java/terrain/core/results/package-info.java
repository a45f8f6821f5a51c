// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Counting responses, free of any store: the rules shared by the sync server's tallies (kept in
 * SQL) and the field hub's live results (kept in memory).
 */
package terrain.core.results;

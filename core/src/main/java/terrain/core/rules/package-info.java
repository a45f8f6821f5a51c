// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * What makes a record storable at every hop ({@link terrain.core.rules.RecordRules}), and the
 * notice that stands in for one a hop had to quarantine ({@link
 * terrain.core.rules.QuarantineNotice}); decision 0016. Apart from {@code core.record} because the
 * rules read the bodies of every kind, tickets included.
 */
package terrain.core.rules;

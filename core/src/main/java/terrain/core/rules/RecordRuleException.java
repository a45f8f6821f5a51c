// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.rules;

/**
 * A record that no hop can store (see {@link RecordRules}). The message names the field, the value
 * (made printable) and the rule, so that the log line and the quarantine list alone tell ops which
 * device made it and what is wrong with it.
 */
public final class RecordRuleException extends Exception {
  public RecordRuleException(String message) {
    super(message);
  }
}

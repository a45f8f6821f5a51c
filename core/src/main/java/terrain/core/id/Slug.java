// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.id;

import java.util.regex.Pattern;

/**
 * The rule of the ids that people write by hand (in an event file, in a partner's configuration)
 * and that travel in MQTT topics, URLs and ledger accounts.
 *
 * <p>The one copy of the rule: the event file's ids ({@code terrain.core.event.Ids}), tickets and
 * partners all ask it.
 */
public final class Slug {

  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

  public static final String RULE =
      "1 to 40 lowercase letters a-z, digits or dashes, not starting with a dash";

  private Slug() {}

  public static boolean isValid(String value) {
    return value != null && VALID.matcher(value).matches();
  }

  /** Throws naming {@code what} ("Event id"), the value and the rule, unless the value is valid. */
  static void check(String what, String value) {
    if (!isValid(value)) {
      throw new IllegalArgumentException(what + " [" + value + "] must be " + RULE);
    }
  }
}

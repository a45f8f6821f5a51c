// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.partner;

import java.util.Objects;
import terrain.core.id.PartnerId;

/**
 * A partner where briqs are spent (the pool, the theatre), as configured on the server: its id
 * (also its ledger account), the name its cashier page shows, and the key its cashiers sign in
 * with.
 */
public record Partner(PartnerId id, String name, String key) {

  /** The shortest key accepted: a PIN of 8 digits at least, or a passphrase. */
  public static final int MIN_KEY_LENGTH = 8;

  public Partner {
    Objects.requireNonNull(id, "partner id");
    Objects.requireNonNull(name, "partner name");
    Objects.requireNonNull(key, "partner key");
    if (name.isBlank() || name.length() > 80) {
      throw new IllegalArgumentException(
          "partner name [" + name + "] of " + id + " must have 1 to 80 characters");
    }
    if (key.length() < MIN_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "the key of partner "
              + id
              + " is shorter than "
              + MIN_KEY_LENGTH
              + " characters: give it a PIN of 8 digits or more, or a passphrase");
    }
  }

  /**
   * Reads {@code ID:KEY} or {@code ID:KEY:NAME} (the name defaults to the id), as given to {@code
   * --partner}.
   */
  public static Partner parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.split(":", 3);
    if (parts.length < 2) {
      throw new IllegalArgumentException(
          "--partner ["
              + text.replaceAll(":.*", ":…")
              + "] must be ID:KEY or ID:KEY:NAME, e.g. piscine:48213377:Piscine municipale");
    }
    if (!PartnerId.isValid(parts[0])) {
      throw new IllegalArgumentException(
          "partner id ["
              + parts[0]
              + "] must be 1 to 40 lowercase letters, digits or dashes, e.g. piscine");
    }
    return new Partner(
        PartnerId.of(parts[0]), parts.length == 3 ? parts[2].strip() : parts[0], parts[1]);
  }

  /** Never shows the key. */
  @Override
  public String toString() {
    return "Partner[" + id + ", " + name + "]";
  }
}

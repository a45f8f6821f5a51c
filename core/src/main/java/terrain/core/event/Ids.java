// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import terrain.core.id.Slug;

/** The rule for event, poll, question and option ids: they travel on the wire and in topics. */
final class Ids {

  static final String RULE = Slug.RULE;

  private Ids() {}

  static boolean isValid(String id) {
    return Slug.isValid(id);
  }

  /** Returns {@code id} or throws naming the field, the value and the rule. */
  static String require(String field, String id) {
    if (id == null) {
      throw new NullPointerException(field + " must not be null");
    }
    if (!isValid(id)) {
      throw new IllegalArgumentException(field + " [" + id + "] must be " + RULE);
    }
    return id;
  }

  /** A valid id close to {@code text} ("Heures d'ouverture" gives "heures-d-ouverture"). */
  static Optional<String> suggest(String text) {
    String slug =
        Normalizer.normalize(text, Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+", "");
    if (slug.length() > 40) {
      slug = slug.substring(0, 40);
    }
    slug = slug.replaceAll("-+$", "");
    return isValid(slug) && !slug.equals(text) ? Optional.of(slug) : Optional.empty();
  }
}

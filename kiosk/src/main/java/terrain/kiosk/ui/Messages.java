// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import java.text.MessageFormat;
import java.util.List;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The kiosk's own texts in one language, from {@code terrain/kiosk/ui/messages*.properties} (UTF-8,
 * French in the base file). A key missing in a language falls back to French, never to the JVM's
 * default locale.
 */
public final class Messages {
  private static final String BUNDLE = "terrain.kiosk.ui.messages";

  private final Language language;
  private final ResourceBundle bundle;

  private Messages(Language language, ResourceBundle bundle) {
    this.language = language;
    this.bundle = bundle;
  }

  public static Messages of(Language language) {
    ResourceBundle bundle =
        ResourceBundle.getBundle(
            BUNDLE,
            language.locale(),
            Messages.class.getClassLoader(),
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    return new Messages(language, bundle);
  }

  public Language language() {
    return language;
  }

  /**
   * The text for {@code key}.
   *
   * @throws MissingResourceException if no bundle has the key (a programming error)
   */
  public String text(String key) {
    return bundle.getString(key);
  }

  /**
   * The text for {@code key} with its {@code {0}}, {@code {1}} … filled in (MessageFormat). Numbers
   * are written with the digits 0-9 in every language, like the numbers of a scale and like most
   * Arabic readers in France (and the Maghreb) write them.
   */
  public String format(String key, Object... args) {
    Object[] plain = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      plain[i] = args[i] instanceof Number number ? number.toString() : args[i];
    }
    return new MessageFormat(text(key), language.locale()).format(plain);
  }

  /** Every key, for tests that check the bundles are complete. */
  public List<String> keys() {
    return bundle.keySet().stream().sorted().toList();
  }
}

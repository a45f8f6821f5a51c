// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@code provision ...} in this JVM with captured out and err, in English unless the
 * environment given says otherwise; tests check its messages against {@link #EN}, the English
 * bundle, not a copy of its words.
 */
final class Cli {

  /** The English messages, as {@code LANG=en_GB.UTF-8} gets them. */
  static final Texts EN = Texts.of(Locale.ENGLISH);

  /** The French messages, the default. */
  static final Texts FR = Texts.of(Locale.FRENCH);

  static final Map<String, String> ENGLISH = Map.of("LANG", "en_GB.UTF-8");

  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  static final Instant NOW = Instant.parse("2026-11-27T17:00:00Z");

  private Cli() {}

  static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ProvisionMain.Context context =
        new ProvisionMain.Context(
            env, Clock.fixed(NOW, ZoneOffset.UTC), ZoneId.of("Europe/Paris"), false);
    int code =
        ProvisionMain.run(context, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** In English ({@code LANG=en_GB.UTF-8}). */
  static Result run(String... args) {
    return run(ENGLISH, args);
  }

  /** {@code env} and {@code LANG=en_GB.UTF-8}. */
  static Result runWith(Map<String, String> env, String... args) {
    Map<String, String> all = new java.util.HashMap<>(ENGLISH);
    all.putAll(env);
    return run(all, args);
  }
}

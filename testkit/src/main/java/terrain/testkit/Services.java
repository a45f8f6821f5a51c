// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;

/**
 * The outside services a test may need (PostgreSQL, an MQTT broker, Chromium), read from the
 * environment, with honest skips.
 *
 * <p>Locally, a test whose service is not configured is skipped, and says so on the error stream in
 * one loud line. With {@code CI=true} (set by CI and by {@code .ci/run}) it <em>fails</em> instead:
 * a variable lost in CI must read as red, never as "skipped".
 */
public final class Services {
  private Services() {}

  /** TERRAIN_TEST_PG_URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. */
  public static String postgresUrl() {
    return required("TERRAIN_TEST_PG_URL", "PostgreSQL");
  }

  /** TERRAIN_TEST_MQTT_URL, e.g. {@code tcp://127.0.0.1:1883}. */
  public static String mqttUrl() {
    return required("TERRAIN_TEST_MQTT_URL", "an external MQTT broker");
  }

  /** True when running in CI ({@code CI=true}), where every service must be present. */
  public static boolean inCi() {
    String ci = System.getenv("CI");
    return ci != null && ci.trim().toLowerCase(Locale.ROOT).equals("true");
  }

  /**
   * Stops the test because {@code what} is missing: a failure in CI, a loud skip elsewhere.
   *
   * @param what the missing service, in words
   * @param howToFix what to install or set
   */
  public static void missing(String what, String howToFix) {
    String message = what + " is missing: " + howToFix;
    if (inCi()) {
      throw new AssertionError("CI=true and " + message);
    }
    System.err.println("SKIPPED (" + callerTest() + "): " + message);
    assumeTrue(false, message);
  }

  private static String required(String variable, String what) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      missing(what, "set " + variable + " (.ci/run sets it)");
    }
    return value;
  }

  private static String callerTest() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames
                    .map(StackWalker.StackFrame::getClassName)
                    .filter(name -> !name.startsWith(Services.class.getPackageName()))
                    .findFirst()
                    .orElse("?"));
  }
}

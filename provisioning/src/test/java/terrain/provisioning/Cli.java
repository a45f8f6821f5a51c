// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/** Runs {@code provision ...} in this JVM with captured out and err. */
final class Cli {

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

  static Result run(String... args) {
    return run(Map.of(), args);
  }
}

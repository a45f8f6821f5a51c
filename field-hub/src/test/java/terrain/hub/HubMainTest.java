// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import terrain.transport.MqttCredentials;

class HubMainTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return HubMain.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void run_whenRequiredOptionMissing_printsUsageAndExits2() {
    int code = run(Map.of(), "--data", dir.toString(), "--mqtt", "0");

    assertEquals(2, code);
    assertTrue(err.toString().contains("Missing required options"), err.toString());
    assertTrue(err.toString().contains("--uplink=URL"), err.toString());
  }

  @Test
  void run_whenPortNotANumber_printsUsageAndExits2() {
    int code =
        run(Map.of(), "--data", dir.toString(), "--mqtt", "abc", "--http", "0", "--uplink", "x");

    assertEquals(2, code);
    assertTrue(err.toString().contains("--mqtt"), err.toString());
  }

  @Test
  void run_whenUplinkInvalid_explainsTheFixAndExits2() {
    int code =
        run(
            Map.of(),
            "--data",
            dir.toString(),
            "--mqtt",
            "0",
            "--http",
            "0",
            "--uplink",
            "localhost:1883");

    assertEquals(2, code);
    assertTrue(err.toString().contains("--uplink [localhost:1883]"), err.toString());
    assertTrue(err.toString().contains("tcp://HOST:PORT"), err.toString());
  }

  @Test
  void run_whenHelp_printsOptionsAndExits0() {
    int code = run(Map.of(), "--help");

    assertEquals(0, code);
    assertTrue(out.toString().contains("--uplink-site-key"), out.toString());
  }

  @Test
  void config_whenSiteKeyOnlyInEnvironment_usesItForBothBrokers() {
    HubMain main = new HubMain(Map.of(HubMain.SITE_KEY_ENV, "env-key"));
    new CommandLine(main)
        .parseArgs(
            "--data",
            dir.toString(),
            "--mqtt",
            "0",
            "--http",
            "0",
            "--uplink",
            "tcp://127.0.0.1:1",
            "--bind",
            "127.0.0.1");

    HubConfig config = main.config();

    assertEquals("env-key", config.siteKey());
    assertEquals("env-key", config.uplinkSiteKey());
    assertEquals("127.0.0.1", config.bindAddress());
  }

  @Test
  void config_whenNoSiteKeyAnywhere_usesTheDevelopmentKey() {
    HubMain main = new HubMain(Map.of());
    new CommandLine(main)
        .parseArgs(
            "--data",
            dir.toString(),
            "--mqtt",
            "0",
            "--http",
            "0",
            "--uplink",
            "tcp://127.0.0.1:1",
            "--uplink-site-key",
            "server-key");

    HubConfig config = main.config();

    assertEquals(MqttCredentials.DEVELOPMENT_KEY, config.siteKey());
    assertEquals("server-key", config.uplinkSiteKey());
  }

  @Test
  void run_whenMqttPortTaken_printsTheFixAndExits2() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();

      int code =
          run(
              Map.of(),
              "--data",
              dir.toString(),
              "--mqtt",
              "" + port,
              "--http",
              "0",
              "--uplink",
              "tcp://127.0.0.1:1",
              "--bind",
              "127.0.0.1");

      assertEquals(2, code, err.toString());
      assertTrue(err.toString().contains("MQTT port " + port), err.toString());
      assertTrue(err.toString().contains("--mqtt PORT"), err.toString());
    }
  }
}

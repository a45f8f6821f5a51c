// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.testkit.TextAssertions.assertContainsAll;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The options every development start needs (--dev, --data, --mqtt, --http 0, --uplink), then
   * {@code more}.
   */
  private String[] args(String mqtt, String uplink, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--dev",
                "--data",
                dir.toString(),
                "--mqtt",
                mqtt,
                "--http",
                "0",
                "--uplink",
                uplink));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static HubConfig config(Map<String, String> env, String... args) {
    HubMain main = new HubMain(env);
    new CommandLine(main).parseArgs(args);
    return main.config();
  }

  @Test
  void config_whenMetricsPublicGiven_opensMetrics_elseLoopbackOnly() {
    assertEquals(false, config(Map.of(), args("0", "tcp://127.0.0.1:1")).metricsPublic());
    assertEquals(
        true, config(Map.of(), args("0", "tcp://127.0.0.1:1", "--metrics-public")).metricsPublic());
  }

  @Test
  void run_whenRequiredOptionMissing_printsUsageAndExits2() {
    int code = run(Map.of(), "--data", dir.toString(), "--mqtt", "0");

    assertEquals(2, code);
    assertContainsAll(err.toString(), "Missing required option", "--http=PORT");
  }

  @Test
  void run_whenDevAndNoUplink_explainsTheFixAndExits2() {
    int code = run(Map.of(), "--dev", "--data", dir.toString(), "--mqtt", "0", "--http", "0");

    assertEquals(2, code);
    assertContainsAll(err.toString(), "--uplink is missing", "tcp://HOST:PORT");
  }

  @Test
  void run_whenEventFileMissing_namesTheFileAndExits2() {
    Path missing = dir.resolve("no-such-event.yaml");
    int code =
        run(
            Map.of(),
            "--dev",
            "--data",
            dir.resolve("hub").toString(),
            "--mqtt",
            "0",
            "--http",
            "0",
            "--uplink",
            "tcp://127.0.0.1:1",
            "--event",
            missing.toString());

    assertEquals(2, code);
    assertContainsAll(err.toString(), "--event " + missing);
  }

  @Test
  void run_whenNotEnrolledAndNoDev_refusesWithTheWayOutAndWritesNothing() {
    Path data = dir.resolve("hub");

    int code = run(Map.of(), "--data", data.toString(), "--mqtt", "0", "--http", "0");

    assertEquals(2, code);
    assertContainsAll(
        err.toString(),
        "this hub is not enrolled: run terrain hub --enrol TEXT (from its kit), or add --dev"
            + " for a development hub");
    assertTrue(!java.nio.file.Files.exists(data), "nothing created");
  }

  @Test
  void run_whenSiteKeyWithoutDev_saysItIsForDevelopmentHubs() {
    int code =
        run(Map.of(), "--data", dir.toString(), "--mqtt", "0", "--http", "0", "--site-key", "k");

    assertEquals(2, code);
    assertContainsAll(err.toString(), "--site-key", "add --dev");
  }

  @Test
  void run_whenEnrolmentTextMalformed_saysWhatToDoAndWritesNothing() {
    Path data = dir.resolve("hub");

    int code =
        run(
            Map.of(),
            "--data",
            data.toString(),
            "--mqtt",
            "0",
            "--http",
            "0",
            "--enrol",
            "not-a-text");

    assertEquals(2, code);
    assertContainsAll(err.toString(), "Cannot enrol the hub", "is not a Terrain enrolment text");
    assertTrue(!java.nio.file.Files.exists(data), "nothing created");
  }

  @Test
  void run_whenPortNotANumber_printsUsageAndExits2() {
    int code = run(Map.of(), args("abc", "x"));

    assertEquals(2, code);
    assertTrue(err.toString().contains("--mqtt"), err.toString());
  }

  @Test
  void run_whenUplinkInvalid_explainsTheFixAndExits2() {
    int code = run(Map.of(), args("0", "localhost:1883"));

    assertEquals(2, code);
    assertContainsAll(err.toString(), "--uplink [localhost:1883]", "tcp://HOST:PORT");
  }

  @Test
  void run_whenLightPinsOrPrinterInvalid_explainsTheFixAndExits2() {
    int code = run(Map.of(), args("0", "tcp://127.0.0.1:1", "--light-pins", "17,40"));

    assertEquals(2, code);
    assertContainsAll(err.toString(), "--light-pins", "from 0 to 27");

    code =
        run(
            Map.of(),
            args("0", "tcp://127.0.0.1:1", "--light-pins", "17,27", "--button-pin", "17"));
    assertEquals(2, code);
    assertContainsAll(err.toString(), "--button-pin 17 is also a light line");

    code = run(Map.of(), args("0", "tcp://127.0.0.1:1", "--printer", "lp0"));
    assertEquals(2, code);
    assertContainsAll(err.toString(), "printer [lp0]", "escpos:usb:/dev/usb/lp0");
  }

  @Test
  void run_whenHelp_printsOptionsAndExits0() {
    int code = run(Map.of(), "--help");

    assertEquals(0, code);
    assertTrue(out.toString().contains("--uplink-site-key"), out.toString());
  }

  @Test
  void config_whenSiteKeyOnlyInEnvironment_usesItForBothBrokers() {
    HubConfig config =
        config(
            Map.of(HubMain.SITE_KEY_ENV, "env-key"),
            args("0", "tcp://127.0.0.1:1", "--bind", "127.0.0.1"));

    assertEquals("env-key", config.siteKey());
    assertEquals("env-key", config.uplinkSiteKey());
    assertEquals("127.0.0.1", config.bindAddress());
  }

  @Test
  void config_whenNoSiteKeyAnywhere_usesTheDevelopmentKey() {
    HubConfig config =
        config(Map.of(), args("0", "tcp://127.0.0.1:1", "--uplink-site-key", "server-key"));

    assertEquals(MqttCredentials.DEVELOPMENT_KEY, config.siteKey());
    assertEquals("server-key", config.uplinkSiteKey());
  }

  @Test
  void run_whenMqttPortTaken_printsTheFixAndExits2() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();

      int code = run(Map.of(), args("" + port, "tcp://127.0.0.1:1", "--bind", "127.0.0.1"));

      assertEquals(2, code, err.toString());
      assertEquals(
          HubMain.messages(Map.of())
              .text("start.portInUse", "MQTT", String.valueOf(port), "--mqtt"),
          err.toString().strip());
      assertContainsAll(err.toString(), "Le port MQTT " + port, "--mqtt PORT");
    }
  }

  @Test
  void run_whenMqttPortTaken_inAnEnglishConsole_saysItInEnglish() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      Map<String, String> english = Map.of("LANG", "en_GB.UTF-8");

      int code = run(english, args("" + port, "tcp://127.0.0.1:1", "--bind", "127.0.0.1"));

      assertEquals(2, code, err.toString());
      assertEquals(
          HubMain.messages(english).text("start.portInUse", "MQTT", String.valueOf(port), "--mqtt"),
          err.toString().strip());
      assertContainsAll(err.toString(), "MQTT port " + port + " is already in use", "--mqtt PORT");
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import terrain.transport.MqttCredentials;

class ServerMainTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return run(Map.of(), args);
  }

  int run(Map<String, String> env, String... args) {
    return ServerMain.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void run_whenRequiredOptionMissing_printsUsageAndReturns2() {
    int code = run("--http", "0");

    assertEquals(2, code);
    assertTrue(err.toString().contains("Missing required option: '--data=DIR'"), err.toString());
    assertTrue(err.toString().contains("Usage: server"), err.toString());
  }

  @Test
  void run_whenSmtpHostHasNoSender_returns2WithTheFix() {
    int code =
        run(
            "--data",
            dir.toString(),
            "--http",
            "0",
            "--smtp-host",
            "smtp.mairie.test",
            "--smtp-security",
            "ssl",
            "--smtp-user",
            "participation");

    assertEquals(2, code);
    String text = err.toString();
    assertTrue(text.contains("--smtp-from is missing"), text);
    assertTrue(text.contains("--smtp-security [ssl] must be starttls"), text);
    assertTrue(text.contains("TERRAIN_SMTP_PASSWORD"), text);
  }

  @Test
  void run_whenPortIsNotANumber_printsUsageAndReturns2() {
    int code = run("--data", dir.toString(), "--http", "eighty");

    assertEquals(2, code);
    assertTrue(err.toString().contains("--http"), err.toString());
  }

  @Test
  void run_whenHttpPortInUse_returns2WithTheFix_inFrenchByDefault() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      int code =
          run("--data", dir.toString(), "--http", "" + port, "--mqtt", "0", "--bind", "127.0.0.1");

      assertEquals(2, code);
      assertEquals(
          ServerMain.messages(Map.of())
              .text("start.portInUse", "HTTP", String.valueOf(port), "--http"),
          err.toString().trim());
      assertTrue(
          err.toString().startsWith("Le port HTTP " + port + " est déjà utilisé."), err.toString());
      assertFalse(Files.exists(dir.resolve("db")), "nothing started before the check");
    }
  }

  @Test
  void run_whenMqttPortInUse_returns2WithTheFix() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      Map<String, String> english = Map.of("LANG", "en_GB.UTF-8");
      int code =
          run(
              english,
              "--data",
              dir.toString(),
              "--http",
              "0",
              "--mqtt",
              "" + port,
              "--bind",
              "127.0.0.1");

      assertEquals(2, code);
      assertEquals(
          ServerMain.messages(english)
              .text("start.portInUse", "MQTT", String.valueOf(port), "--mqtt"),
          err.toString().trim());
      assertTrue(
          err.toString().startsWith("MQTT port " + port + " is already in use."), err.toString());
    }
  }

  @Test
  void run_whenBrokerUrlMalformed_returns2NamingTheOption() {
    int code = run("--data", dir.toString(), "--http", "0", "--broker", "localhost:1883");

    assertEquals(2, code);
    assertTrue(err.toString().startsWith("--broker [localhost:1883]"), err.toString());
    assertTrue(err.toString().contains("tcp://HOST:PORT"), err.toString());
  }

  @Test
  void run_whenAdminTokenTooShort_returns2NamingTheOption() {
    int code = run("--data", dir.toString(), "--http", "0", "--admin-token", "secret");

    assertEquals(2, code);
    assertTrue(err.toString().startsWith("--admin-token is shorter"), err.toString());
  }

  @Test
  void config_whenClaimOptionsGiven_readsThemAndAdminTokenFromEnvironment() {
    ServerMain main =
        new ServerMain(java.util.Map.of("TERRAIN_ADMIN_TOKEN", "env-admin-0123456789"));
    new picocli.CommandLine(main)
        .parseArgs(
            "--data",
            dir.toString(),
            "--http",
            "0",
            "--no-allow-development-keys",
            "--claims-per-minute",
            "5");

    ServerConfig config = main.config();

    assertEquals(false, config.allowDevelopmentKeys());
    assertEquals(5, config.claimsPerMinute());
    assertEquals("env-admin-0123456789", config.adminToken());
  }

  @Test
  void run_whenTrustProxyIsNotAnAddressBlock_returns2NamingTheOptionAndTheForm() {
    int code =
        run("--data", dir.toString(), "--http", "0", "--trust-proxy", "10.0.0.0/8,proxy.lan");

    assertEquals(2, code);
    assertTrue(
        err.toString().startsWith("--trust-proxy [proxy.lan] is not an IP address"),
        err.toString());
    assertTrue(err.toString().contains("e.g. 127.0.0.1, 10.0.0.0/8"), err.toString());
    assertFalse(Files.exists(dir.resolve("db")), "nothing started before the check");
  }

  @Test
  void config_whenTrustProxyGiven_readsTheBlocks() {
    ServerMain main = new ServerMain(Map.of());
    new CommandLine(main)
        .parseArgs(
            "--data", dir.toString(), "--http", "0", "--dev", "--trust-proxy", "::1, 10.0.0.0/8");

    assertEquals(java.util.List.of("::1", "10.0.0.0/8"), main.config().trustProxy().blocks());
  }

  @Test
  void run_whenDatabaseUrlUnsupported_returns2NamingTheOption() {
    int code = run("--data", dir.toString(), "--http", "0", "--db", "jdbc:mysql://x/y");

    assertEquals(2, code);
    assertTrue(err.toString().contains("--db [jdbc:mysql://x/y]"), err.toString());
  }

  @Test
  void run_whenEventFileHasMistakes_returns2WithFileLineAndColumn() throws Exception {
    Path event = dir.resolve("bad.yaml");
    Files.writeString(event, "id: Bad Id\ntitle: {fr: \"x\"}\n");

    int code =
        run(
            "--data",
            dir.resolve("data").toString(),
            "--http",
            "0",
            "--mqtt",
            "0",
            "--event",
            event.toString());

    assertEquals(2, code);
    assertTrue(err.toString().contains("bad.yaml:"), err.toString());
    assertFalse(Files.exists(dir.resolve("data")), "nothing started before the check");
  }

  @Test
  void run_whenEventFileMissing_returns2NamingTheOption() {
    int code = run("--data", dir.toString(), "--http", "0", "--event", "/no/such.yaml");

    assertEquals(2, code);
    assertTrue(err.toString().contains("--event [/no/such.yaml] does not exist"), err.toString());
  }

  @Test
  void config_whenSiteKeyNotGiven_usesEnvironmentThenDevelopmentKeyWithDev() {
    ServerConfig fromEnv = parse(Map.of("TERRAIN_SITE_KEY", "k-123"), "--data", "d", "--http", "0");
    ServerConfig fallback = parse(Map.of(), "--dev", "--data", "d", "--http", "0");
    ServerConfig none = parse(Map.of(), "--data", "d", "--http", "0");
    ServerConfig given =
        parse(Map.of("TERRAIN_SITE_KEY", "k-123"), "--data", "d", "--http", "0", "--site-key", "s");

    assertEquals("k-123", fromEnv.siteKey());
    assertFalse(fromEnv.developmentKey());
    assertEquals(MqttCredentials.DEVELOPMENT_KEY, fallback.siteKey());
    assertTrue(fallback.developmentKey());
    assertEquals("s", given.siteKey());
    assertEquals(null, none.siteKey());
    assertFalse(none.dev());
    assertFalse(none.allowDevelopmentKeys(), "no key trusted on first use without --dev");
    assertTrue(fallback.allowDevelopmentKeys(), "--dev keeps today's behaviour");
  }

  @Test
  void run_withoutDev_refusesTheDevelopmentSiteKeyAndDevelopmentKeys() {
    int code =
        run(
            "--data",
            dir.toString(),
            "--http",
            "0",
            "--site-key",
            MqttCredentials.DEVELOPMENT_KEY,
            "--allow-development-keys");

    assertEquals(2, code);
    assertTrue(
        err.toString().contains("is the public development key")
            && err.toString().contains("pass --dev"),
        err.toString());
    assertTrue(err.toString().contains("--allow-development-keys trusts"), err.toString());
  }

  @Test
  void run_withoutDev_refusesTheDevelopmentKeyFromTheEnvironment() {
    int code =
        ServerMain.run(
            Map.of("TERRAIN_SITE_KEY", MqttCredentials.DEVELOPMENT_KEY),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "--data",
            dir.toString(),
            "--http",
            "0");

    assertEquals(2, code);
    assertTrue(err.toString().contains("is the public development key"), err.toString());
  }

  @Test
  void config_whenPublicAddressesGiven_readsThemAndRefusesBadOnes() {
    ServerConfig config =
        parse(
            Map.of(),
            "--data",
            "d",
            "--http",
            "0",
            "--public-url",
            "https://terrain.example.fr/",
            "--mqtt-public",
            "tcp://192.168.1.5:1883");

    assertEquals("https://terrain.example.fr", config.publicUrl());
    assertEquals("tcp://192.168.1.5:1883", config.mqttPublic());
    int code = run("--data", dir.toString(), "--http", "0", "--mqtt-public", "192.168.1.5:1883");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--mqtt-public [192.168.1.5:1883]"), err.toString());
  }

  @Test
  void config_whenIngestGroupGiven_readsItAndRefusesOneMqttCannotCarry() {
    assertEquals(
        "terrain-ingest",
        parse(Map.of(), "--data", dir.toString(), "--http", "0", "--dev").ingestGroup());
    assertEquals(
        "lyon-2",
        parse(Map.of(), "--data", dir.toString(), "--http", "0", "--ingest-group", "lyon-2")
            .ingestGroup());

    int code = run("--data", dir.toString(), "--http", "0", "--ingest-group", "lyon/#");

    assertEquals(2, code);
    assertTrue(err.toString().contains("--ingest-group [lyon/#]"), err.toString());
  }

  @Test
  void config_whenMetricsPublicGiven_opensMetrics_elseLoopbackOnly() {
    assertFalse(parse(Map.of(), "--data", dir.toString(), "--http", "0").metricsPublic());
    assertTrue(
        parse(Map.of(), "--data", dir.toString(), "--http", "0", "--metrics-public")
            .metricsPublic());
  }

  @Test
  void config_whenDefaults_usesDerbyInDataFolderAndEveryInterface() {
    ServerConfig config = parse(Map.of(), "--data", "d", "--http", "8470", "--mqtt", "1884");

    assertEquals(
        "jdbc:derby:" + Path.of("d", "db").toAbsolutePath() + ";create=true", config.databaseUrl());
    assertEquals("0.0.0.0", config.bindAddress());
    assertTrue(config.embeddedBroker());
    assertEquals(1884, config.mqttPort());
  }

  private static ServerConfig parse(Map<String, String> env, String... args) {
    ServerMain main = new ServerMain(env);
    new CommandLine(main).parseArgs(args);
    return main.config();
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.http.TlsIdentity;
import terrain.testkit.TestCa;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;
import terrain.transport.tls.CertificatePin;

/** --tls-cert and --tls-key: HTTPS, MQTT over TLS, the ingest on its own TLS broker, the pin. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncServerTlsTest {
  private static final String SITE_KEY = "tls-test-site-key";

  @TempDir static Path dir;
  private TestCa ca;
  private TestCa.Issued issued;
  private TestCa.PemFiles pem;
  private SyncServer server;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  void start() throws Exception {
    ca = TestCa.create();
    issued = ca.issue("localhost");
    pem = issued.write(Files.createDirectories(dir.resolve("pem")), "server");
    server =
        SyncServer.start(
            new ServerConfig(
                dir.resolve("data"), 0, 0, null, null, SITE_KEY, false, "127.0.0.1", List.of()),
            TlsIdentity.load(pem.certificate(), pem.key(), "--tls-cert", "--tls-key"),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void https_isServedToAClientTrustingTheCa_andPlainHttpIsNot() throws Exception {
    assertEquals("https://127.0.0.1:" + server.httpPort(), server.baseUrl());
    HttpClient trusting =
        HttpClient.newBuilder()
            .sslContext(ca.clientContext())
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    HttpResponse<String> page =
        trusting.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(200, page.statusCode());
    boolean refused;
    try {
      HttpResponse<String> plain =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      refused = plain.statusCode() != 200;
    } catch (IOException e) {
      refused = true;
    }
    assertTrue(refused, "plain HTTP on the HTTPS port must not be served");
  }

  @Test
  void ingest_reachesItsOwnTlsBroker() {
    assertTrue(server.ingest().brokerUrl().startsWith("ssl://"), server.ingest().brokerUrl());
    await().atMost(Duration.ofSeconds(15)).until(server.ingest()::isUp);
  }

  @Test
  void hubUplink_pinnedOnTheServersCertificate_connects_andAnotherPinIsRefused() throws Exception {
    String pin = CertificatePin.ofFile(pem.certificate());
    assertEquals(issued.sha256(), pin);
    try (MqttLink good = hubLink("hub-tls-good", pin);
        MqttLink bad = hubLink("hub-tls-bad", ca.issue("localhost").sha256())) {
      good.start();
      bad.start();
      await().atMost(Duration.ofSeconds(15)).until(good::isConnected);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> bad.lastProblem().contains("not the pinned"));
      assertTrue(!bad.isConnected());
    }
  }

  @Test
  void main_whenOnlyOneTlsOptionIsGiven_returns2SayingBoth() {
    StringWriter err = new StringWriter();
    int code =
        ServerMain.run(
            Map.of(),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "--data",
            dir.resolve("other").toString(),
            "--http",
            "0",
            "--mqtt",
            "0",
            "--tls-cert",
            pem.certificate().toString());

    assertEquals(2, code);
    assertTrue(
        err.toString().contains("--tls-cert is given without --tls-key: pass both"),
        err.toString());
  }

  @Test
  void main_whenTheKeyFileIsNotPem_returns2NamingTheOption() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.key"), "not a key\n");
    StringWriter err = new StringWriter();
    int code =
        ServerMain.run(
            Map.of(),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "--data",
            dir.resolve("other").toString(),
            "--http",
            "0",
            "--mqtt",
            "0",
            "--tls-cert",
            pem.certificate().toString(),
            "--tls-key",
            junk.toString());

    assertEquals(2, code);
    assertTrue(
        err.toString().contains("--tls-key " + junk + " holds no private key"), err.toString());
  }

  private MqttLink hubLink(String hubId, String pin) throws Exception {
    String username = MqttCredentials.hubUsername(hubId);
    return new MqttLink(
        MqttLink.Settings.of(
                "ssl://127.0.0.1:" + server.brokerPort(),
                hubId,
                username,
                MqttCredentials.passwordFor(SITE_KEY, username))
            .withServerPin(pin, "--uplink-pin"),
        List.of(),
        () -> {},
        scheduler,
        new Random(1));
  }
}

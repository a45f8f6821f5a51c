// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.broker.BrokerSettings;
import terrain.broker.EmbeddedBroker;
import terrain.testkit.TestCa;

/** The hub's uplink over TLS to a server broker whose certificate comes from a test CA. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubTlsUplinkTest {
  @TempDir static Path dir;
  private TestCa ca;
  private TestCa.Issued certificate;
  private EmbeddedBroker server;

  @BeforeAll
  void startServerBroker() {
    ca = TestCa.create();
    certificate = ca.issue("localhost");
    server =
        EmbeddedBroker.start(
            new BrokerSettings(dir.resolve("server"), "127.0.0.1", 0, TestSupport.SITE_KEY)
                .withTls(
                    new BrokerSettings.Tls(
                        certificate.keys().getPrivate(),
                        List.of(certificate.certificate(), ca.certificate()))));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void uplink_withTheServersPin_isUp() throws Exception {
    try (Hub hub = start("hub-pin-good", certificate.sha256())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> "up".equals(hub.status().uplink()));
    }
  }

  @Test
  void uplink_withAnotherPin_staysDownAndSaysWhy() throws Exception {
    String wrong = ca.issue("localhost").sha256();
    try (Hub hub = start("hub-pin-bad", wrong)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  hub.status().uplinkProblem() != null
                      && hub.status().uplinkProblem().contains("not the pinned " + wrong));
      assertEquals("down", hub.status().uplink());
      assertTrue(hub.status().uplinkProblem().contains(certificate.sha256()));
    }
  }

  @Test
  void main_whenThePinIsNotHex_returnsUsageNamingTheOption() {
    StringWriter err = new StringWriter();
    int code =
        HubMain.run(
            Map.of(),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "--dev",
            "--data",
            dir.resolve("main").toString(),
            "--mqtt",
            "0",
            "--http",
            "0",
            "--uplink",
            "ssl://127.0.0.1:8883",
            "--uplink-pin",
            "not-a-pin");

    assertEquals(2, code);
    assertTrue(
        err.toString().contains("--uplink-pin [not-a-pin] is not a certificate SHA-256"),
        err.toString());
  }

  @Test
  void main_whenPinnedButTheUplinkIsPlainTcp_returnsUsage() {
    StringWriter err = new StringWriter();
    int code =
        HubMain.run(
            Map.of(),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "--dev",
            "--data",
            dir.resolve("main").toString(),
            "--mqtt",
            "0",
            "--http",
            "0",
            "--uplink",
            "tcp://127.0.0.1:1883",
            "--uplink-pin",
            certificate.sha256());

    assertEquals(2, code);
    assertTrue(err.toString().contains("--uplink-pin needs a TLS uplink"), err.toString());
  }

  private Hub start(String hubId, String pin) {
    return Hub.start(
        TestSupport.config(dir.resolve(hubId), 0, "ssl://127.0.0.1:" + server.port(), hubId),
        pin,
        Clock.systemUTC(),
        new SecureRandom());
  }
}

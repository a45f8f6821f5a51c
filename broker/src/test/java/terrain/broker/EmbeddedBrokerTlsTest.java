// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.testkit.TestCa;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttLink;

/** The broker's TLS listener, with a CA and a server certificate made in the test. */
class EmbeddedBrokerTlsTest {
  private static final String SITE_KEY = "test-site-key";

  @TempDir static Path dir;
  private static TestCa ca;
  private static TestCa.Issued server;
  private static EmbeddedBroker broker;
  private static ScheduledExecutorService scheduler;

  @BeforeAll
  static void start() {
    ca = TestCa.create();
    server = ca.issue("localhost");
    broker =
        EmbeddedBroker.start(
            new BrokerSettings(dir, "127.0.0.1", 0, SITE_KEY)
                .withTls(
                    new BrokerSettings.Tls(
                        server.keys().getPrivate(),
                        List.of(server.certificate(), ca.certificate()))));
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void tls_aClientTrustingTheCaConnectsAndReceivesWhatItPublishes() throws Exception {
    MqttAsyncClient client =
        new MqttAsyncClient(
            "ssl://localhost:" + broker.port(), "svc-tls-check", new MemoryPersistence());
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    try {
      MqttConnectionOptions options = options("svc:tls-check");
      options.setSocketFactory(ca.clientContext().getSocketFactory());
      client.setCallback(
          new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
              received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {}

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
          });
      client.connect(options).waitForCompletion(10_000);
      client.subscribe("terrain/v1/test/#", 1).waitForCompletion(10_000);
      client
          .publish("terrain/v1/test/tls", "over TLS".getBytes(StandardCharsets.UTF_8), 1, false)
          .waitForCompletion(10_000);

      assertEquals("over TLS", received.poll(10, TimeUnit.SECONDS));
    } finally {
      client.disconnect().waitForCompletion(5_000);
      client.close();
    }
  }

  @Test
  void tls_aPlainTcpClientIsNotServed() throws Exception {
    MqttAsyncClient client =
        new MqttAsyncClient(
            "tcp://127.0.0.1:" + broker.port(), "svc-plain", new MemoryPersistence());
    try {
      MqttConnectionOptions options = options("svc:plain");
      options.setConnectionTimeout(5);
      assertThrows(MqttException.class, () -> client.connect(options).waitForCompletion(10_000));
      assertFalse(client.isConnected());
    } finally {
      client.close(true);
    }
  }

  @Test
  void tls_keyStoreIsOwnerOnlyAndConfigNamesIt() throws Exception {
    Path store = dir.resolve("conf").resolve(BrokerTlsFiles.KEY_STORE);
    assertTrue(Files.isRegularFile(store));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("conf").resolve("config.xml"))));
    String config = Files.readString(dir.resolve("conf").resolve("config.xml"));
    assertTrue(config.contains("<tls-tcp-listener>"), config);
    assertFalse(config.contains("<tcp-listener>"), config);
  }

  @Test
  void pinnedLink_withTheServersPin_connects() throws Exception {
    try (MqttLink link = link(server.sha256())) {
      link.start();
      await().atMost(Duration.ofSeconds(15)).until(link::isConnected);
    }
  }

  @Test
  void pinnedLink_withAnotherPin_isRefusedAndSaysWhy() throws Exception {
    String other = ca.issue("localhost").sha256();
    try (MqttLink link = link(other)) {
      link.start();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> link.lastProblem().contains("not the pinned " + other));
      assertFalse(link.isConnected());
      assertTrue(link.lastProblem().contains("has SHA-256 " + server.sha256()), link.lastProblem());
      assertTrue(link.lastProblem().contains("--uplink-pin"), link.lastProblem());
    }
  }

  @Test
  void link_overSslWithoutPin_refusesACertificateTheSystemDoesNotTrust() throws Exception {
    try (MqttLink link = link(null)) {
      link.start();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> link.lastProblem().toLowerCase().contains("certification path"));
      assertFalse(link.isConnected());
    }
  }

  private static MqttLink link(String pin) throws MqttException {
    String username = MqttCredentials.hubUsername("hub-tls");
    MqttLink.Settings settings =
        MqttLink.Settings.of(
                "ssl://127.0.0.1:" + broker.port(),
                "hub-tls",
                username,
                MqttCredentials.passwordFor(SITE_KEY, username))
            .withServerPin(pin, "--uplink-pin");
    return new MqttLink(settings, List.of(), () -> {}, scheduler, new java.util.Random(1));
  }

  private static MqttConnectionOptions options(String username) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setUserName(username);
    options.setPassword(
        MqttCredentials.passwordFor(SITE_KEY, username).getBytes(StandardCharsets.UTF_8));
    return options;
  }
}

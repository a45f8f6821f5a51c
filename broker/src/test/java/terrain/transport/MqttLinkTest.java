// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.broker.BrokerSettings;
import terrain.broker.EmbeddedBroker;
import terrain.testkit.Network;

class MqttLinkTest {
  private static final String KEY = "test-site-key";
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private MqttLink link(int port, String service, List<MqttLink.Subscription> subs)
      throws Exception {
    return link(port, MqttCredentials.serviceUsername(service), service, subs);
  }

  /** A link logging in as {@code username} with client id {@code clientId}, quick to retry. */
  private MqttLink link(
      int port, String username, String clientId, List<MqttLink.Subscription> subs)
      throws Exception {
    MqttLink.Settings settings =
        MqttLink.Settings.of(
                "tcp://127.0.0.1:" + port,
                clientId,
                username,
                MqttCredentials.passwordFor(KEY, username))
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(300));
    return new MqttLink(settings, subs, () -> {}, scheduler, new SplittableRandom(1));
  }

  /** A link that hands what arrives on terrain/v1/test (QoS 1) to {@code handler}. */
  private MqttLink reader(int port, MqttLink.Handler handler) throws Exception {
    return link(port, "reader", List.of(new MqttLink.Subscription("terrain/v1/test", 1, handler)));
  }

  private static void awaitConnected(MqttLink link, Duration timeout, String what) {
    await(what).atMost(timeout).until(link::isConnected);
  }

  @Test
  void start_whenBrokerAppearsLater_keepsRetryingAndConnects() throws Exception {
    int port = Network.portForLaterUse();
    try (MqttLink link = link(port, "late", List.of())) {
      String initial = link.lastProblem();
      link.start();
      await("a failed attempt")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !link.lastProblem().equals(initial));
      assertFalse(link.isConnected());
      assertTrue(link.lastProblem().length() > 0);
      try (EmbeddedBroker broker =
          EmbeddedBroker.start(new BrokerSettings(dir.resolve("b"), "127.0.0.1", port, KEY))) {
        awaitConnected(link, Duration.ofSeconds(15), "connects once the broker is up");
      }
    }
  }

  /** A kiosk's link to a hub still starting (EmbeddedBroker.startHeld) retries until admitted. */
  @Test
  void start_whenBrokerHoldsDevices_saysSoAndConnectsOnceAdmitted() throws Exception {
    try (EmbeddedBroker broker =
        EmbeddedBroker.startHeld(new BrokerSettings(dir.resolve("b"), "127.0.0.1", 0, KEY))) {
      try (MqttLink kiosk =
          link(broker.port(), MqttCredentials.deviceUsername("kiosk-41"), "kiosk-41", List.of())) {
        kiosk.start();
        await("asked to come back")
            .atMost(Duration.ofSeconds(10))
            .until(() -> kiosk.lastProblem().contains("starting"));
        assertFalse(kiosk.isConnected());
        broker.admitDevices();
        awaitConnected(kiosk, Duration.ofSeconds(15), "connects once admitted");
      }
    }
  }

  @Test
  void publish_whenBrokerRestarted_deliversAgainAfterReconnect() throws Exception {
    int port = Network.portForLaterUse();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    BrokerSettings settings = new BrokerSettings(dir.resolve("b"), "127.0.0.1", port, KEY);
    EmbeddedBroker broker = EmbeddedBroker.start(settings);
    try (MqttLink sender = link(port, "sender", List.of());
        MqttLink reader = reader(port, (t, p) -> received.add(new String(p, UTF_8)))) {
      sender.start();
      reader.start();
      awaitConnected(sender, Duration.ofSeconds(10), "sender connects");
      awaitConnected(reader, Duration.ofSeconds(10), "reader connects");
      sender.publish("terrain/v1/test", "one".getBytes(UTF_8), false).get(5, TimeUnit.SECONDS);
      assertEquals("one", received.poll(5, TimeUnit.SECONDS));

      broker.close();
      broker = EmbeddedBroker.start(settings);
      awaitConnected(sender, Duration.ofSeconds(15), "sender reconnects");
      awaitConnected(reader, Duration.ofSeconds(15), "reader reconnects");
      // Subscriptions were lost with the in-memory broker: the link subscribed again.
      for (int i = 0; i < 3; i++) {
        sender
            .publish("terrain/v1/test", ("after-" + i).getBytes(UTF_8), false)
            .get(5, TimeUnit.SECONDS);
      }
      assertEquals("after-0", received.poll(5, TimeUnit.SECONDS));
      assertEquals("after-1", received.poll(5, TimeUnit.SECONDS));
      assertEquals("after-2", received.poll(5, TimeUnit.SECONDS));
    } finally {
      broker.close();
    }
  }

  @Test
  void handler_whenItThrows_nextMessagesStillArrive() throws Exception {
    int port = Network.portForLaterUse();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    try (EmbeddedBroker broker =
            EmbeddedBroker.start(new BrokerSettings(dir.resolve("b"), "127.0.0.1", port, KEY));
        MqttLink sender = link(port, "sender", List.of());
        MqttLink reader =
            reader(
                port,
                (t, p) -> {
                  String text = new String(p, UTF_8);
                  if (text.equals("poison")) {
                    throw new IllegalStateException("bad payload");
                  }
                  received.add(text);
                })) {
      sender.start();
      reader.start();
      awaitConnected(sender, Duration.ofSeconds(10), "sender connects");
      awaitConnected(reader, Duration.ofSeconds(10), "reader connects");
      sender.publish("terrain/v1/test", "poison".getBytes(UTF_8), false).get(5, TimeUnit.SECONDS);
      sender.publish("terrain/v1/test", "good".getBytes(UTF_8), false).get(5, TimeUnit.SECONDS);
      assertEquals("good", received.poll(5, TimeUnit.SECONDS));
      assertTrue(reader.isConnected(), "a throwing handler does not drop the connection");
    }
  }

  @Test
  void matches_whenSharedSubscription_ignoresGroupPrefix() {
    assertTrue(MqttLink.matches("$share/g/terrain/v1/dev/+/up", "terrain/v1/dev/k1/up"));
    assertTrue(MqttLink.matches("terrain/#", "terrain/v1/x"));
    assertFalse(MqttLink.matches("terrain/v1/dev/+/up", "terrain/v1/dev/k1/ack"));
    assertFalse(MqttLink.matches("terrain/v1/dev/+/up", "terrain/v1/dev/k1/up/x"));
  }
}

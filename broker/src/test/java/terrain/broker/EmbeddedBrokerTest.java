// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.testkit.MqttPeer;
import terrain.transport.MqttCredentials;

class EmbeddedBrokerTest {

  private static final String SITE_KEY = "test-site-key";
  private static final String LOOPBACK = "127.0.0.1";

  @TempDir static Path sharedDir;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start(new BrokerSettings(sharedDir, LOOPBACK, 0, SITE_KEY));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void start_whenPortIsZero_listensOnTheReportedEphemeralPort() throws IOException {
    assertNotEquals(0, broker.port());
    try (Socket socket = new Socket(LOOPBACK, broker.port())) {
      assertTrue(socket.isConnected());
    }
    String config = Files.readString(sharedDir.resolve("conf/config.xml"));
    assertTrue(config.contains("<mode>in-memory</mode>"), config);
    assertTrue(config.contains("<max-queue-size>1000</max-queue-size>"), config);
    assertTrue(config.contains("<strategy>discard</strategy>"), config);
    assertTrue(config.contains("<max-packet-size>266240</max-packet-size>"), config);
    assertTrue(config.contains("<max-interval>604800</max-interval>"), config);
    assertTrue(config.contains("<server-receive-maximum>200</server-receive-maximum>"), config);
  }

  @Test
  void publish_whenDeviceHasValidCredentials_serviceSubscriberReceivesAtQos1() throws Exception {
    try (MqttPeer ingest = connect(broker, "svc:ingest", "ingest-1");
        MqttPeer kiosk = connect(broker, "dev:kiosk-1", "kiosk-1")) {
      assertReasonCodes(
          ingest.subscribe("terrain/v1/dev/+/up"), MqttReturnCode.RETURN_CODE_MAX_QOS_1);

      IMqttToken puback = kiosk.attempt("terrain/v1/dev/kiosk-1/up", "batch-1", 1);
      assertReasonCodes(puback, MqttReturnCode.RETURN_CODE_SUCCESS);

      MqttPeer.Message message = assertNext(ingest, "terrain/v1/dev/kiosk-1/up", "batch-1");
      assertEquals(1, message.qos());
    }
  }

  @Test
  void connect_whenPasswordIsWrong_isRefusedWithBadUserNameOrPassword() {
    MqttException refused =
        assertThrows(
            MqttException.class,
            () -> connect(broker, "dev:kiosk-2", "kiosk-2", "not-the-password"));
    assertEquals(MqttReturnCode.RETURN_CODE_BAD_USERNAME_OR_PASSWORD, refused.getReasonCode());
  }

  @Test
  void connect_whenPasswordIsForAnotherSiteKey_isRefusedWithBadUserNameOrPassword() {
    String otherSite = MqttCredentials.passwordFor("other-site", "dev:kiosk-2");
    MqttException refused =
        assertThrows(
            MqttException.class, () -> connect(broker, "dev:kiosk-2", "kiosk-2", otherSite));
    assertEquals(MqttReturnCode.RETURN_CODE_BAD_USERNAME_OR_PASSWORD, refused.getReasonCode());
  }

  @Test
  void connect_whenNoCredentials_isRefusedWithNotAuthorized() {
    MqttException refused =
        assertThrows(MqttException.class, () -> connect(broker, null, "kiosk-3", null));
    assertEquals(MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED, refused.getReasonCode());
  }

  @Test
  void connect_whenUsernameIsNotATerrainUsername_isRefusedWithBadUserNameOrPassword() {
    MqttException refused =
        assertThrows(MqttException.class, () -> connect(broker, "admin", "admin", "admin"));
    assertEquals(MqttReturnCode.RETURN_CODE_BAD_USERNAME_OR_PASSWORD, refused.getReasonCode());
  }

  @Test
  void connect_whenClientIdIsNotTheDeviceId_isRefusedWithClientIdentifierNotValid() {
    MqttException refused =
        assertThrows(MqttException.class, () -> connect(broker, "dev:kiosk-4", "kiosk-5"));
    assertEquals(MqttReturnCode.RETURN_CODE_IDENTIFIER_NOT_VALID, refused.getReasonCode());
  }

  @Test
  void connect_whenServiceUsesAnyClientId_succeeds() throws Exception {
    try (MqttPeer ingest = connect(broker, "svc:ingest", "ingest-instance-7")) {
      assertTrue(ingest.isConnected());
    }
  }

  @Test
  void publish_whenDeviceUsesAnotherDevicesTopic_isAckedNotAuthorizedDisconnectedAndNotDelivered()
      throws Exception {
    try (MqttPeer ingest = connect(broker, "svc:ingest", "ingest-2")) {
      ingest.subscribe("terrain/v1/dev/+/up");

      try (MqttPeer intruder = connect(broker, "dev:kiosk-6", "kiosk-6")) {
        IMqttToken puback = intruder.attempt("terrain/v1/dev/kiosk-7/up", "forged", 1);

        // HiveMQ answers an MQTT 5 QoS 1 PUBLISH outside the permissions with a PUBACK carrying
        // NOT_AUTHORIZED (0x87), then sends DISCONNECT with NOT_AUTHORIZED and closes.
        assertReasonCodes(puback, MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED);
        MqttDisconnectResponse disconnect = intruder.awaitDisconnect();
        assertNotNull(disconnect, "the broker did not disconnect the client");
        assertEquals(MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED, disconnect.getReturnCode());
        assertFalse(intruder.isConnected());
      }
      assertTrue(ingest.quietFor(Duration.ofMillis(300)), "the forged message arrived");

      // The same device may reconnect and publish under its own id.
      try (MqttPeer kiosk = connect(broker, "dev:kiosk-6", "kiosk-6")) {
        assertReasonCodes(
            kiosk.attempt("terrain/v1/dev/kiosk-6/up", "genuine", 1),
            MqttReturnCode.RETURN_CODE_SUCCESS);
        assertNext(ingest, "terrain/v1/dev/kiosk-6/up", "genuine");
      }
    }
  }

  @Test
  void publish_whenDevicePublishesQos0OutsideItsTopics_isDisconnectedNotAuthorized()
      throws Exception {
    try (MqttPeer intruder = connect(broker, "dev:kiosk-8", "kiosk-8")) {
      intruder.attempt("terrain/v1/revocations", "forged", 0);
      MqttDisconnectResponse disconnect = intruder.awaitDisconnect();
      assertNotNull(disconnect, "the broker did not disconnect the client");
      assertEquals(MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED, disconnect.getReturnCode());
    }
  }

  @Test
  void publish_whenNobodySubscribes_isAckedWithNoMatchingSubscribers() throws Exception {
    // 0x10 is a success code: the broker accepted the message and dropped it. This is why
    // Terrain keeps records until the next hop's application ack.
    try (MqttPeer hub = connect(broker, "hub:lonely-hub", "lonely-hub")) {
      assertReasonCodes(
          hub.attempt("terrain/v1/hub/lonely-hub/status", "{}", 1),
          MqttReturnCode.RETURN_CODE_NO_MATCHING_SUBSCRIBERS);
    }
  }

  @Test
  void subscribe_whenServiceUsesIngestShareGroup_receivesMessages() throws Exception {
    try (MqttPeer ingest = connect(broker, "svc:ingest", "ingest-shared-1");
        MqttPeer kiosk = connect(broker, "dev:kiosk-9", "kiosk-9")) {
      assertReasonCodes(
          ingest.subscribe("$share/terrain-ingest/terrain/v1/dev/+/up"),
          MqttReturnCode.RETURN_CODE_MAX_QOS_1);

      assertReasonCodes(
          kiosk.attempt("terrain/v1/dev/kiosk-9/up", "shared", 1),
          MqttReturnCode.RETURN_CODE_SUCCESS);

      assertNext(ingest, "terrain/v1/dev/kiosk-9/up", "shared");
    }
  }

  @Test
  void subscribe_whenServiceUsesAnotherShareGroup_isRefusedNotAuthorized() throws Exception {
    try (MqttPeer ingest = connect(broker, "svc:ingest", "ingest-shared-2")) {
      assertReasonCodes(
          ingest.subscribe("$share/other-group/terrain/v1/dev/+/up"),
          MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED);
    }
  }

  @Test
  void subscribe_whenDeviceSubscribes_onlyItsOwnAckConfigAndRevocationsAreGranted()
      throws Exception {
    try (MqttPeer kiosk = connect(broker, "dev:kiosk-10", "kiosk-10")) {
      assertReasonCodes(
          kiosk.subscribe("terrain/v1/dev/kiosk-10/ack"), MqttReturnCode.RETURN_CODE_MAX_QOS_1);
      assertReasonCodes(
          kiosk.subscribe("terrain/v1/event/+/config"), MqttReturnCode.RETURN_CODE_MAX_QOS_1);
      assertReasonCodes(
          kiosk.subscribe("terrain/v1/event/market-2026/config"),
          MqttReturnCode.RETURN_CODE_MAX_QOS_1);
      assertReasonCodes(
          kiosk.subscribe("terrain/v1/revocations"), MqttReturnCode.RETURN_CODE_MAX_QOS_1);

      assertReasonCodes(
          kiosk.subscribe("terrain/v1/dev/kiosk-11/ack"),
          MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED);
      assertReasonCodes(
          kiosk.subscribe("terrain/v1/dev/+/up"), MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED);
      assertReasonCodes(kiosk.subscribe("#"), MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED);
      assertReasonCodes(
          kiosk.subscribe("$share/terrain-ingest/terrain/v1/dev/+/up"),
          MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED);
    }
  }

  @Test
  void publish_whenHubPublishesOnItsUpTopic_serviceReceivesIt() throws Exception {
    try (MqttPeer ingest = connect(broker, "svc:ingest", "ingest-3");
        MqttPeer hub = connect(broker, "hub:market-hub", "market-hub")) {
      ingest.subscribe("terrain/v1/hub/+/up");
      assertReasonCodes(
          hub.attempt("terrain/v1/hub/market-hub/up", "hub-batch", 1),
          MqttReturnCode.RETURN_CODE_SUCCESS);
      assertReasonCodes(
          hub.attempt("terrain/v1/dev/kiosk-1/up", "pretend-kiosk", 1),
          MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED);
      assertNext(ingest, "terrain/v1/hub/market-hub/up", "hub-batch");
      assertTrue(ingest.quietFor(Duration.ofMillis(300)), "the pretended kiosk batch arrived");
    }
  }

  @Test
  void connect_whenWillIsOnOwnStatusTopic_willIsDeliveredAfterConnectionLoss() throws Exception {
    try (MqttPeer watcher = connect(broker, "svc:hub-store", "watcher-1")) {
      watcher.subscribe("terrain/v1/dev/+/status");
      MqttPeer kiosk =
          options(broker, "kiosk-12")
              .as("dev:kiosk-12", MqttCredentials.passwordFor(SITE_KEY, "dev:kiosk-12"))
              .will("terrain/v1/dev/kiosk-12/status", "offline", false)
              .connect();
      kiosk.vanish(); // no DISCONNECT packet: like a power cut
      kiosk.close();

      assertNext(watcher, "terrain/v1/dev/kiosk-12/status", "offline"); // the will
    }
  }

  @Test
  void connect_whenWillIsOnAnotherDevicesTopic_isRefusedNotAuthorized() {
    MqttException refused =
        assertThrows(
            MqttException.class,
            () ->
                options(broker, "kiosk-13")
                    .as("dev:kiosk-13", MqttCredentials.passwordFor(SITE_KEY, "dev:kiosk-13"))
                    .will("terrain/v1/dev/kiosk-14/status", "offline", false)
                    .connect());
    assertEquals(MqttReturnCode.RETURN_CODE_NOT_AUTHORIZED, refused.getReasonCode());
  }

  @Test
  void start_whenPortIsInUse_failsWithAClearMessage(@TempDir Path dir) throws IOException {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
      int port = squatter.getLocalPort();

      BrokerStartException failure =
          assertThrows(
              BrokerStartException.class,
              () -> EmbeddedBroker.start(new BrokerSettings(dir, "0.0.0.0", port, SITE_KEY)));

      assertTrue(failure.isPortInUse());
      assertEquals(
          "MQTT port "
              + port
              + " on 0.0.0.0 is already in use (another broker or Terrain process?). Stop it, or"
              + " pass --mqtt PORT with a free port.",
          failure.getMessage());
    }
  }

  @Test
  void start_whenHiveMqItselfCannotBind_reportsPortInUseAndLeavesNoBrokerThreads(@TempDir Path dir)
      throws Exception {
    Set<Thread> before = liveThreads();
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      int port = squatter.getLocalPort();

      BrokerStartException failure =
          assertThrows(
              BrokerStartException.class,
              () -> EmbeddedBroker.start(new BrokerSettings(dir, LOOPBACK, port, SITE_KEY), false));

      assertTrue(failure.isPortInUse(), failure::getMessage);
    }
    assertNoNewBrokerThreads(before, "threads left after a failed start");
  }

  @Test
  void start_whenStartedClosedAndStartedAgain_worksOnANewPort(@TempDir Path dir) throws Exception {
    Set<Thread> before = liveThreads();
    int firstPort;
    try (EmbeddedBroker first =
        EmbeddedBroker.start(new BrokerSettings(dir.resolve("a"), LOOPBACK, 0, SITE_KEY))) {
      firstPort = first.port();
      try (MqttPeer kiosk = connect(first, "dev:kiosk-20", "kiosk-20")) {
        assertTrue(kiosk.isConnected());
      }
    }
    assertNoNewBrokerThreads(before, "threads left after close");

    try (EmbeddedBroker second =
        EmbeddedBroker.start(new BrokerSettings(dir.resolve("b"), LOOPBACK, 0, SITE_KEY))) {
      assertNotEquals(0, second.port());
      try (MqttPeer kiosk = connect(second, "dev:kiosk-21", "kiosk-21");
          MqttPeer ingest = connect(second, "svc:ingest", "ingest-9")) {
        ingest.subscribe("terrain/v1/dev/+/up");
        assertReasonCodes(
            kiosk.attempt("terrain/v1/dev/kiosk-21/up", "again", 1),
            MqttReturnCode.RETURN_CODE_SUCCESS);
        assertNotNull(ingest.next());
      }
    }
    assertNotEquals(0, firstPort);
  }

  @Test
  void start_whenRestartedOnTheSameFixedPortRightAfterClose_works(@TempDir Path dir)
      throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      port = free.getLocalPort();
    }
    BrokerSettings settings = new BrokerSettings(dir, LOOPBACK, port, SITE_KEY);
    try (EmbeddedBroker first = EmbeddedBroker.start(settings)) {
      assertEquals(port, first.port());
      // Leave a connection behind, as kiosks would when a hub restarts.
      MqttPeer kiosk = connect(first, "dev:kiosk-22", "kiosk-22");
      kiosk.vanish();
      kiosk.close();
    }
    try (EmbeddedBroker again = EmbeddedBroker.start(settings);
        MqttPeer kiosk = connect(again, "dev:kiosk-22", "kiosk-22")) {
      assertEquals(port, again.port());
      assertTrue(kiosk.isConnected());
    }
  }

  @Test
  void start_whenAnotherBrokerRunsInTheSameJvm_eachEnforcesItsOwnSiteKey(@TempDir Path dir)
      throws Exception {
    try (EmbeddedBroker second =
        EmbeddedBroker.start(new BrokerSettings(dir, LOOPBACK, 0, "other-site-key"))) {
      String otherPassword = MqttCredentials.passwordFor("other-site-key", "dev:kiosk-30");
      try (MqttPeer kiosk = connect(second, "dev:kiosk-30", "kiosk-30", otherPassword)) {
        assertTrue(kiosk.isConnected());
      }
      MqttException refused =
          assertThrows(MqttException.class, () -> connect(second, "dev:kiosk-30", "kiosk-30"));
      assertEquals(MqttReturnCode.RETURN_CODE_BAD_USERNAME_OR_PASSWORD, refused.getReasonCode());
      assertThrows(
          MqttException.class, () -> connect(broker, "dev:kiosk-31", "kiosk-31", otherPassword));
    }
    // The first broker is unaffected by the second one's start and stop.
    try (MqttPeer kiosk = connect(broker, "dev:kiosk-32", "kiosk-32")) {
      assertTrue(kiosk.isConnected());
    }
  }

  /**
   * A held broker (a hub's or a server's while its ingest subscribes) lets services in, asks
   * devices and hubs to come back (server unavailable: their links retry), and lets them in once
   * admitted; a bad password is still told apart.
   */
  @Test
  void startHeld_whenDeviceConnectsBeforeAdmit_isAskedToComeBackAndConnectsAfter(@TempDir Path dir)
      throws Exception {
    try (EmbeddedBroker held =
        EmbeddedBroker.startHeld(new BrokerSettings(dir, LOOPBACK, 0, SITE_KEY))) {
      assertFalse(held.admitsDevices());
      try (MqttPeer ingest = connect(held, "svc:ingest", "ingest-held")) {
        assertTrue(ingest.isConnected(), "services log in at once");
        for (String[] who :
            new String[][] {{"dev:kiosk-40", "kiosk-40"}, {"hub:hub-40", "hub-40"}}) {
          MqttException early =
              assertThrows(MqttException.class, () -> connect(held, who[0], who[1]));
          assertEquals(
              MqttReturnCode.RETURN_CODE_SERVER_UNAVAILABLE, early.getReasonCode(), who[0]);
        }
        MqttException wrong =
            assertThrows(
                MqttException.class, () -> connect(held, "dev:kiosk-40", "kiosk-40", "wrong"));
        assertEquals(MqttReturnCode.RETURN_CODE_BAD_USERNAME_OR_PASSWORD, wrong.getReasonCode());

        assertReasonCodes(
            ingest.subscribe("terrain/v1/dev/+/up"), MqttReturnCode.RETURN_CODE_MAX_QOS_1);
        held.admitDevices();
        held.admitDevices(); // idempotent

        assertTrue(held.admitsDevices());
        try (MqttPeer kiosk = connect(held, "dev:kiosk-40", "kiosk-40")) {
          assertReasonCodes(
              kiosk.attempt("terrain/v1/dev/kiosk-40/up", "batch-40", 1),
              MqttReturnCode.RETURN_CODE_SUCCESS);
          assertNext(ingest, "terrain/v1/dev/kiosk-40/up", "batch-40");
        }
      }
    }
    assertTrue(broker.admitsDevices(), "a broker started plainly admits devices from the start");
  }

  @Test
  void start_whenApplicationHasADefaultUncaughtExceptionHandler_keepsIt(@TempDir Path dir) {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.UncaughtExceptionHandler mine = (thread, error) -> {};
    Thread.setDefaultUncaughtExceptionHandler(mine);
    try (EmbeddedBroker other =
        EmbeddedBroker.start(new BrokerSettings(dir, LOOPBACK, 0, SITE_KEY))) {
      assertNotEquals(0, other.port());
      assertSame(mine, Thread.getDefaultUncaughtExceptionHandler());
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  @Test
  void start_whenExtensionsFolderIsNotEmpty_refusesToStart(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("extensions/some-extension"));
    BrokerStartException failure =
        assertThrows(
            BrokerStartException.class,
            () -> EmbeddedBroker.start(new BrokerSettings(dir, LOOPBACK, 0, SITE_KEY)));
    assertFalse(failure.isPortInUse());
    assertTrue(failure.getMessage().contains("must be empty"), failure::getMessage);
  }

  @Test
  void start_whenBindAddressIsNotLocal_failsWithoutClaimingThePortIsInUse(@TempDir Path dir) {
    BrokerStartException failure =
        assertThrows(
            BrokerStartException.class,
            () -> EmbeddedBroker.start(new BrokerSettings(dir, "192.0.2.1", 18830, SITE_KEY)));
    assertFalse(failure.isPortInUse());
    assertTrue(
        failure.getMessage().contains("not an address of this machine"), failure::getMessage);
  }

  private static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .collect(Collectors.toSet());
  }

  /**
   * Fails unless every thread started since {@code before} is gone, except Paho's and JUnit's;
   * HiveMQ's stop waits for its threads, but give stragglers a moment.
   */
  private static void assertNoNewBrokerThreads(Set<Thread> before, String when) {
    await() // polled on the test thread: Awaitility's own would count as a new one
        .pollInSameThread()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertEquals(Set.of(), newBrokerThreads(before), when));
  }

  private static Set<String> newBrokerThreads(Set<Thread> before) {
    return liveThreads().stream()
        .filter(t -> !before.contains(t))
        .map(Thread::getName)
        .filter(name -> !name.startsWith("MQTT ") && !name.startsWith("junit"))
        .collect(Collectors.toSet());
  }

  /** A peer set up as Terrain's clients are: persistent session, no clean start. */
  private static MqttPeer.Options options(EmbeddedBroker broker, String clientId) {
    return MqttPeer.Options.of("tcp://" + LOOPBACK + ":" + broker.port(), clientId)
        .persistentSession();
  }

  private static MqttPeer connect(EmbeddedBroker broker, String username, String clientId)
      throws MqttException {
    return connect(broker, username, clientId, MqttCredentials.passwordFor(SITE_KEY, username));
  }

  private static MqttPeer connect(
      EmbeddedBroker broker, String username, String clientId, String password)
      throws MqttException {
    return options(broker, clientId).as(username, password).connect();
  }

  /** The next message {@code subscriber} receives (it fails if none comes), checked. */
  private static MqttPeer.Message assertNext(MqttPeer subscriber, String topic, String text)
      throws InterruptedException {
    MqttPeer.Message message = subscriber.next();
    assertEquals(topic, message.topic());
    assertEquals(text, message.text());
    return message;
  }

  private static void assertReasonCodes(IMqttToken token, int... expected) {
    assertArrayEquals(expected, token.getReasonCodes(), () -> "reason codes of " + token);
  }
}

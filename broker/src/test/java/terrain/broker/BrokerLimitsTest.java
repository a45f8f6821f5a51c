// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.wire.WireCodec;
import terrain.testkit.MqttPeer;
import terrain.transport.MqttCredentials;

/** The embedded broker's packet limit, with real clients over loopback. */
class BrokerLimitsTest {
  private static final String SITE_KEY = "limits-site-key";
  private static final String LOOPBACK = "127.0.0.1";

  @TempDir static Path dir;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start(new BrokerSettings(dir, LOOPBACK, 0, SITE_KEY));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void publish_whenLargestBatchTheCodecBuilds_isDelivered() throws Exception {
    // Bodies that do not compress: the forwarder's batch comes as close to the limit as it gets.
    SplittableRandom random = new SplittableRandom(14);
    List<Record> records = new ArrayList<>();
    for (int seq = 1; seq <= 20; seq++) {
      byte[] body = new byte[Record.MAX_BODY_BYTES];
      random.nextBytes(body);
      records.add(
          new Record(DeviceId.of("kiosk-50"), seq, RecordKind.RESPONSE, "ev", seq, 0, body));
    }
    byte[] payload = WireCodec.encodeLeadingBatch(DeviceId.of("kiosk-50"), 1, records).payload();
    byte[] atLimit = new byte[WireCodec.MAX_MESSAGE_BYTES];
    try (MqttPeer ingest = connect("svc:ingest", "ingest-limits");
        MqttPeer kiosk = connect("dev:kiosk-50", "kiosk-50")) {
      ingest.subscribe("terrain/v1/dev/+/up");
      kiosk.publish("terrain/v1/dev/kiosk-50/up", payload, false);
      kiosk.publish("terrain/v1/dev/kiosk-50/up", atLimit, false);
      MqttPeer.Message first = ingest.next();
      assertNotNull(first);
      assertArrayEquals(payload, first.payload());
      MqttPeer.Message second = ingest.next();
      assertNotNull(second);
      assertEquals(WireCodec.MAX_MESSAGE_BYTES, second.payload().length);
    }
  }

  @Test
  void publish_whenMqtt5ClientGoesPastTheLimit_isDisconnectedPacketTooLarge() throws Exception {
    try (MqttPeer kiosk = connect("dev:kiosk-51", "kiosk-51")) {
      MqttException refused =
          assertThrows(
              MqttException.class,
              () ->
                  kiosk.publish(
                      "terrain/v1/dev/kiosk-51/up",
                      new byte[EmbeddedBroker.MAX_PACKET_BYTES],
                      false));
      assertEquals(MqttClientException.REASON_CODE_SERVER_DISCONNECTED, refused.getReasonCode());
      MqttDisconnectResponse disconnect = kiosk.awaitDisconnect();
      assertEquals(MqttReturnCode.RETURN_CODE_PACKET_TOO_LARGE, disconnect.getReturnCode());
    }
  }

  /**
   * An MQTT 3.1.1 client learns no limit: the broker itself must refuse. Raw bytes, so that nothing
   * on the client side stops the packet.
   */
  @Test
  void publish_whenPacketPastTheLimit_brokerClosesTheConnectionAndDeliversNothing()
      throws Exception {
    try (MqttPeer ingest = connect("svc:ingest", "ingest-limits-2");
        Socket socket = new Socket(LOOPBACK, broker.port())) {
      ingest.subscribe("terrain/v1/dev/+/up");
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      String username = "dev:kiosk-52";
      out.write(connect311("kiosk-52", username, MqttCredentials.passwordFor(SITE_KEY, username)));
      out.flush();
      byte[] connack = in.readNBytes(4);
      assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x00}, connack, "CONNACK accepted");

      byte[] small = publish311("terrain/v1/dev/kiosk-52/up", "fits".getBytes(UTF_8), 1);
      out.write(small);
      out.flush();
      byte[] puback = in.readNBytes(4);
      assertEquals(0x40, puback[0] & 0xFF, "PUBACK of the small message");
      assertEquals("fits", ingest.next().text());

      boolean closed = false;
      try {
        out.write(
            publish311("terrain/v1/dev/kiosk-52/up", new byte[WireCodec.MAX_MESSAGE_BYTES * 2], 2));
        out.flush();
      } catch (IOException brokenPipe) {
        closed = true; // the broker closed while the packet was still being written
      }
      if (!closed) {
        try {
          int next = in.read();
          assertEquals(-1, next, "the broker answered instead of closing");
        } catch (SocketTimeoutException e) {
          throw new AssertionError("the broker neither refused nor closed within 10 s", e);
        } catch (IOException reset) {
          // connection reset: closed as well
        }
      }
      assertTrue(ingest.quietFor(Duration.ofMillis(500)), "nothing past the limit delivered");
    }
  }

  private static byte[] connect311(String clientId, String username, String password) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(4); // protocol level 3.1.1
    body.write(0xC2); // username, password, clean session
    body.write(0);
    body.write(60); // keep alive
    writeString(body, clientId);
    writeString(body, username);
    writeString(body, password);
    return packet(0x10, body.toByteArray());
  }

  private static byte[] publish311(String topic, byte[] payload, int packetId) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, topic);
    body.write(packetId >> 8);
    body.write(packetId & 0xFF);
    body.writeBytes(payload);
    return packet(0x32, body.toByteArray()); // PUBLISH, QoS 1
  }

  private static byte[] packet(int type, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
    out.write(type);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xFF);
    out.writeBytes(bytes);
  }

  private static MqttPeer connect(String username, String clientId) throws MqttException {
    return MqttPeer.Options.of("tcp://" + LOOPBACK + ":" + broker.port(), clientId)
        .as(username, MqttCredentials.passwordFor(SITE_KEY, username))
        .connect();
  }
}

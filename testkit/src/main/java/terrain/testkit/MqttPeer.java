// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import terrain.core.codec.WireException;
import terrain.core.wire.Ack;
import terrain.core.wire.Batch;
import terrain.core.wire.WireCodec;

/**
 * One MQTT client for tests, on a real broker: it plays a kiosk, a hub, the sync server or an
 * intruder. It connects with a username and password, publishes (batches encoded with {@link
 * WireCodec} among them), and keeps what arrives; every wait has a deadline and fails the test with
 * what it waited for.
 *
 * <p>The password comes from the caller ({@code MqttCredentials.passwordFor} in the transport
 * module): the test kit depends on the core only, so that the store and transport tests may use it.
 */
public final class MqttPeer implements AutoCloseable {
  /** How long a wait lasts when the test does not say: long enough for a loaded CI machine. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  /** A message as it arrived. */
  public record Message(String topic, byte[] payload, int qos, boolean retained) {
    public String text() {
      return new String(payload, UTF_8);
    }

    /** The payload decoded as an application ack; fails the test if it is not one. */
    public Ack ack() {
      try {
        return WireCodec.decodeAck(payload);
      } catch (WireException e) {
        throw new AssertionError("not an ack on " + topic + ": " + e.getMessage(), e);
      }
    }
  }

  /** Reacts to each message on Paho's callback thread, before it is queued; see {@link #reply}. */
  @FunctionalInterface
  public interface Handler {
    void handle(MqttPeer peer, Message message) throws Exception;
  }

  /**
   * How to connect. By default a clean start, no will, and the username as client id (the broker
   * requires a device's or hub's client id to be its id).
   */
  public record Options(
      String url,
      String clientId,
      String username,
      String password,
      boolean keepSession,
      String willTopic,
      String willText,
      boolean willRetained) {

    public Options {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(clientId, "clientId");
    }

    /** Connects to {@code url} (e.g. {@code tcp://127.0.0.1:1883}) as {@code clientId}. */
    public static Options of(String url, String clientId) {
      return new Options(url, clientId, null, null, false, null, null, false);
    }

    /** Logs in with these credentials (null for an anonymous attempt). */
    public Options as(String username, String password) {
      return new Options(
          url, clientId, username, password, keepSession, willTopic, willText, willRetained);
    }

    /** Keeps the session an hour, no clean start: as Terrain's own clients connect. */
    public Options persistentSession() {
      return new Options(
          url, clientId, username, password, true, willTopic, willText, willRetained);
    }

    /** Leaves {@code text} on {@code topic} (QoS 1) if the connection drops without DISCONNECT. */
    public Options will(String topic, String text, boolean retained) {
      return new Options(url, clientId, username, password, keepSession, topic, text, retained);
    }

    /** Connects and returns once the broker accepted; throws with its reason code otherwise. */
    public MqttPeer connect() throws MqttException {
      return MqttPeer.connect(this);
    }
  }

  private final MqttAsyncClient client;
  private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
  private final List<Message> received = new CopyOnWriteArrayList<>();
  private final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<Handler> handlers = new CopyOnWriteArrayList<>();

  private MqttPeer(MqttAsyncClient client) {
    this.client = client;
  }

  /** Connects and returns once the broker accepted; throws with its reason code otherwise. */
  public static MqttPeer connect(Options options) throws MqttException {
    MqttAsyncClient client =
        new MqttAsyncClient(options.url(), options.clientId(), new MemoryPersistence());
    MqttPeer peer = new MqttPeer(client);
    client.setCallback(peer.new Callback());
    MqttConnectionOptions connection = new MqttConnectionOptions();
    connection.setAutomaticReconnect(false);
    connection.setConnectionTimeout((int) WAIT.toSeconds());
    connection.setCleanStart(!options.keepSession());
    connection.setSessionExpiryInterval(options.keepSession() ? 3600L : 0L);
    if (options.username() != null) {
      connection.setUserName(options.username());
    }
    if (options.password() != null) {
      connection.setPassword(options.password().getBytes(UTF_8));
    }
    if (options.willTopic() != null) {
      connection.setWill(
          options.willTopic(),
          new MqttMessage(
              options.willText().getBytes(UTF_8), 1, options.willRetained(), new MqttProperties()));
    }
    try {
      client.connect(connection).waitForCompletion(WAIT.toMillis());
    } catch (MqttException e) {
      try {
        client.close(true);
      } catch (MqttException ignored) {
        // the connection failed already; the first error is the one to report
      }
      throw e;
    }
    return peer;
  }

  /**
   * Adds a handler for the messages that arrive from now on (subscribe after adding it). A handler
   * that throws is counted in {@link #failures()}; the message is still queued.
   */
  public MqttPeer handle(Handler handler) {
    handlers.add(handler);
    return this;
  }

  /**
   * Subscribes at QoS 1 and returns once the broker answered; the token's reason codes say what it
   * granted (0x01) or refused (0x87).
   */
  public IMqttToken subscribe(String... filters) throws MqttException {
    MqttSubscription[] subscriptions = new MqttSubscription[filters.length];
    for (int i = 0; i < filters.length; i++) {
      subscriptions[i] = new MqttSubscription(filters[i], 1);
    }
    IMqttToken token = client.subscribe(subscriptions);
    token.waitForCompletion(WAIT.toMillis());
    return token;
  }

  /** Publishes at QoS 1 and returns once the broker has it; throws if the broker refused it. */
  public void publish(String topic, byte[] payload, boolean retained) throws MqttException {
    client
        .publish(topic, new MqttMessage(payload, 1, retained, new MqttProperties()))
        .waitForCompletion(WAIT.toMillis());
  }

  /**
   * Publishes {@code text} at QoS 1, not retained; see {@link #publish(String, byte[], boolean)}.
   */
  public void publish(String topic, String text) throws MqttException {
    publish(topic, text.getBytes(UTF_8), false);
  }

  /** Publishes a batch encoded as on the wire, e.g. on {@code Topics.deviceUp(id)}. */
  public void publish(String topic, Batch batch) throws MqttException {
    publish(topic, WireCodec.encodeBatch(batch), false);
  }

  /**
   * Publishes at QoS {@code qos} and returns the token once the broker answered, refused or not:
   * for tests of the broker's rules, which read the token's reason codes.
   */
  public IMqttToken attempt(String topic, String text, int qos) throws MqttException {
    IMqttToken token = client.publish(topic, text.getBytes(UTF_8), qos, false);
    if (qos == 0) {
      return token;
    }
    try {
      token.waitForCompletion(WAIT.toMillis());
    } catch (MqttException refused) {
      // A refused publish completes with an error; its reason code is on the token.
    }
    return token;
  }

  /** Publishes at QoS 1 without waiting: for handlers, which run on Paho's callback thread. */
  public void reply(String topic, byte[] payload) throws MqttException {
    client.publish(topic, new MqttMessage(payload, 1, false, new MqttProperties()));
  }

  /** The next message not taken yet; fails if none arrives within {@link #WAIT}. */
  public Message next() throws InterruptedException {
    return next(WAIT);
  }

  /** The next message not taken yet; fails if none arrives within {@code timeout}. */
  public Message next(Duration timeout) throws InterruptedException {
    Message message = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (message == null) {
      throw new AssertionError("no message within " + timeout + "; received so far: " + topics());
    }
    return message;
  }

  /** The next message decoded as an ack; fails if none arrives within {@link #WAIT}. */
  public Ack nextAck() throws InterruptedException {
    return next().ack();
  }

  /** The next message decoded as an ack; fails if none arrives within {@code timeout}. */
  public Ack nextAck(Duration timeout) throws InterruptedException {
    return next(timeout).ack();
  }

  /** True if no message arrives for {@code quiet}: the deadline is the point of the test. */
  public boolean quietFor(Duration quiet) throws InterruptedException {
    return queue.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  /** Every message received so far, in order, taken or not. */
  public List<Message> received() {
    return List.copyOf(received);
  }

  /** The latest message on {@code topic}, e.g. a device's retained status. */
  public Optional<Message> last(String topic) {
    List<Message> all = new ArrayList<>(received);
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).topic().equals(topic)) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }

  /** What the handlers threw, one line each. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  /** The broker's DISCONNECT; fails if it does not come within {@link #WAIT}. */
  public MqttDisconnectResponse awaitDisconnect() throws InterruptedException {
    MqttDisconnectResponse response = disconnects.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (response == null) {
      throw new AssertionError("the broker did not disconnect the client within " + WAIT);
    }
    return response;
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  /** Drops the TCP connection without DISCONNECT, like a kiosk losing power: the will fires. */
  public void vanish() throws MqttException {
    client.disconnectForcibly(0, 1_000, false);
  }

  @Override
  public void close() throws MqttException {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(WAIT.toMillis());
      }
    } catch (MqttException e) {
      // The broker may have closed the connection meanwhile.
    }
    client.close(true);
  }

  private List<String> topics() {
    return received.stream().map(Message::topic).toList();
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      Message arrived =
          new Message(topic, message.getPayload(), message.getQos(), message.isRetained());
      for (Handler handler : handlers) {
        try {
          handler.handle(MqttPeer.this, arrived);
        } catch (Exception e) {
          failures.add(topic + ": " + e);
        }
      }
      received.add(arrived);
      queue.add(arrived);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      disconnects.add(response);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      failures.add("MQTT error: " + exception);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.transport.tls.CertificatePin;
import terrain.transport.tls.TlsSockets;

/**
 * A durable-session MQTT 5 connection (Eclipse Paho) that keeps reconnecting with capped
 * exponential backoff and jitter while the other side is away, and subscribes again on every
 * connect.
 *
 * <p>Paho's own buffers are never trusted (it is unmaintained since 2020): it runs with memory
 * persistence, and the callers' databases are the source of truth. A handler that throws is logged
 * and the message is acknowledged anyway: one bad payload must never block the ones behind it nor
 * kill the connection.
 */
public final class MqttLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttLink.class);

  /** How to reach and identify to a broker. */
  public record Settings(
      String serverUri,
      String clientId,
      String username,
      String password,
      Duration minBackoff,
      Duration maxBackoff,
      int keepAliveSeconds,
      long sessionExpirySeconds,
      boolean endSessionOnClose,
      Will will,
      Pin serverPin) {

    /** As the full constructor with no certificate pin ({@code ssl://} trusts the system's CAs). */
    public Settings(
        String serverUri,
        String clientId,
        String username,
        String password,
        Duration minBackoff,
        Duration maxBackoff,
        int keepAliveSeconds,
        long sessionExpirySeconds,
        boolean endSessionOnClose,
        Will will) {
      this(
          serverUri,
          clientId,
          username,
          password,
          minBackoff,
          maxBackoff,
          keepAliveSeconds,
          sessionExpirySeconds,
          endSessionOnClose,
          will,
          null);
    }

    public static Settings of(String serverUri, String clientId, String username, String password) {
      return new Settings(
          serverUri,
          clientId,
          username,
          password,
          Duration.ofMillis(200),
          Duration.ofSeconds(5),
          20,
          Duration.ofDays(2).toSeconds(),
          false,
          null,
          null);
    }

    /**
     * Over {@code ssl://}, trust only the server certificate whose SHA-256 is {@code sha256} (see
     * {@link CertificatePin}), whatever its CA and host name; null trusts the system's CAs with
     * host name checks.
     *
     * @param source where the pin came from (an option, the bundle), named when it does not match
     * @throws IllegalArgumentException if {@code sha256} is not 64 hex digits
     */
    public Settings withServerPin(String sha256, String source) {
      Pin pin = sha256 == null ? null : new Pin(CertificatePin.parse(sha256, source), source);
      return new Settings(
          serverUri,
          clientId,
          username,
          password,
          minBackoff,
          maxBackoff,
          keepAliveSeconds,
          sessionExpirySeconds,
          endSessionOnClose,
          will,
          pin);
    }

    /** Whether the link speaks TLS ({@code ssl://}). */
    public boolean tls() {
      return serverUri != null && serverUri.regionMatches(true, 0, "ssl://", 0, 6);
    }

    /**
     * A member of a shared subscription must end its session when it stops cleanly, or the broker
     * keeps handing it a share of the messages while nobody reads them.
     */
    public Settings endingSessionOnClose() {
      return copy(minBackoff, maxBackoff, sessionExpirySeconds, true, will);
    }

    /** How long the broker keeps this client's session (and queued messages) after it left. */
    public Settings withSessionExpiry(Duration expiry) {
      return copy(minBackoff, maxBackoff, expiry.toSeconds(), endSessionOnClose, will);
    }

    /** The message the broker publishes for this client if it vanishes without a goodbye. */
    public Settings withWill(String topic, byte[] payload, boolean retained) {
      return copy(
          minBackoff,
          maxBackoff,
          sessionExpirySeconds,
          endSessionOnClose,
          new Will(topic, payload, retained));
    }

    public Settings withBackoff(Duration min, Duration max) {
      return copy(min, max, sessionExpirySeconds, endSessionOnClose, will);
    }

    /** The same broker and identity, with the connection's behaviour given (the withers' copy). */
    private Settings copy(
        Duration min, Duration max, long expirySeconds, boolean endSession, Will lastWill) {
      return new Settings(
          serverUri,
          clientId,
          username,
          password,
          min,
          max,
          keepAliveSeconds,
          expirySeconds,
          endSession,
          lastWill,
          serverPin);
    }
  }

  /** A last will (see {@link Settings#withWill}). */
  public record Will(String topic, byte[] payload, boolean retained) {}

  /** A pinned server certificate (see {@link Settings#withServerPin}). */
  public record Pin(String sha256, String source) {}

  /** Receives the payloads of one subscription. */
  @FunctionalInterface
  public interface Handler {
    void handle(String topic, byte[] payload) throws Exception;
  }

  public record Subscription(String filter, int qos, Handler handler) {}

  /** Told when the link comes up or goes down, e.g. to send what waited. */
  public interface Listener {
    void connected();

    default void disconnected(String reason) {}
  }

  private final Settings settings;
  private final List<Subscription> subscriptions;
  private final Listener listener;
  private final ScheduledExecutorService scheduler;
  private final RandomGenerator random;
  private final SSLSocketFactory sockets;

  /** A fresh Paho client per network connection (see {@link #connect()}); null before the first. */
  private volatile MqttAsyncClient client;

  private volatile boolean closed;
  private volatile boolean connected;
  private volatile String lastProblem = "not connected yet";
  private volatile boolean loggedDown;
  private int attempt;
  private ScheduledFuture<?> pendingConnect;

  public MqttLink(
      Settings settings,
      List<Subscription> subscriptions,
      Listener listener,
      ScheduledExecutorService scheduler,
      RandomGenerator random)
      throws MqttException {
    this.settings = settings;
    this.subscriptions = List.copyOf(subscriptions);
    this.listener = listener;
    this.scheduler = scheduler;
    this.random = random;
    this.sockets = sockets(settings);
    // Fail now on a malformed server URI rather than at the first connect.
    new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence())
        .close(true);
  }

  /** Starts connecting in the background; returns at once. */
  public synchronized void start() {
    scheduleConnect(Duration.ZERO);
  }

  public boolean isConnected() {
    MqttAsyncClient current = client;
    return connected && current != null && current.isConnected();
  }

  /** Why the link is down, for status pages. */
  public String lastProblem() {
    return lastProblem;
  }

  public String serverUri() {
    return settings.serverUri();
  }

  /**
   * Publishes at QoS 1. The future completes when the broker has the message (PUBACK), which proves
   * nothing about the receiving application: only its own ack does.
   */
  public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retained) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!isConnected()) {
      done.completeExceptionally(new IllegalStateException("not connected to " + serverUri()));
      return done;
    }
    MqttMessage message = new MqttMessage(payload, 1, retained, new MqttProperties());
    MqttAsyncClient current = client;
    if (current == null) {
      done.completeExceptionally(new IllegalStateException("not connected to " + serverUri()));
      return done;
    }
    try {
      current.publish(
          topic,
          message,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              done.complete(null);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
              done.completeExceptionally(exception);
            }
          });
    } catch (MqttException | RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  private synchronized void scheduleConnect(Duration delay) {
    if (closed) {
      return;
    }
    if (pendingConnect != null && !pendingConnect.isDone()) {
      return;
    }
    pendingConnect = scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void connect() {
    synchronized (this) {
      pendingConnect = null; // this attempt is running: a failure may schedule the next one
    }
    if (closed || isConnected()) {
      return;
    }
    // A new Paho client for every network connection: Paho 1.2.5 resends the QoS 1 messages
    // that were in flight on the old connection with that connection's topic alias and no topic,
    // and the broker then disconnects again on every reconnect, forever
    // (eclipse-paho/paho.mqtt.java#1104). Nothing is lost by dropping them: the callers'
    // databases hold every record until the application ack and send again on connect.
    MqttAsyncClient previous = client;
    if (previous != null) {
      closeQuietly(previous);
    }
    MqttAsyncClient fresh;
    try {
      fresh =
          new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
    } catch (MqttException e) {
      lastProblem = describe(e);
      scheduleConnect(nextDelay());
      return;
    }
    fresh.setCallback(new Callback(fresh));
    client = fresh;
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(false);
    options.setSessionExpiryInterval(settings.sessionExpirySeconds());
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval(settings.keepAliveSeconds());
    options.setConnectionTimeout(10);
    options.setReceiveMaximum(100);
    if (settings.will() != null) {
      MqttMessage will =
          new MqttMessage(
              settings.will().payload(), 1, settings.will().retained(), new MqttProperties());
      options.setWill(settings.will().topic(), will);
    }
    if (settings.username() != null) {
      options.setUserName(settings.username());
    }
    if (settings.password() != null) {
      options.setPassword(settings.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    if (sockets != null) {
      options.setSocketFactory(sockets);
      // A pin names the certificate itself; without one, the system's CAs vouch for the host name.
      options.setHttpsHostnameVerificationEnabled(settings.serverPin() == null);
    }
    try {
      fresh.connect(options).waitForCompletion(15_000);
      subscribe(fresh);
      synchronized (this) {
        attempt = 0;
        if (closed) {
          closeQuietly(fresh);
          return;
        }
      }
      connected = true;
      loggedDown = false;
      lastProblem = "";
      log.info("Connected to {} as {}", settings.serverUri(), settings.clientId());
      listener.connected();
    } catch (MqttException | RuntimeException e) {
      connected = false;
      lastProblem = describe(e);
      Duration delay = nextDelay();
      if (!loggedDown) {
        log.info(
            "Cannot reach {} ({}); retrying in the background every few seconds",
            settings.serverUri(),
            lastProblem);
        loggedDown = true;
      } else {
        log.debug(
            "Cannot reach {} ({}); retrying in {} ms",
            settings.serverUri(),
            lastProblem,
            delay.toMillis());
      }
      closeQuietly(fresh);
      scheduleConnect(delay);
    }
  }

  /** The TLS sockets of an {@code ssl://} link; null over plain TCP. */
  private static SSLSocketFactory sockets(Settings settings) {
    if (!settings.tls()) {
      if (settings.serverPin() != null) {
        log.warn(
            "A certificate pin ({}) is given for {}, which is not TLS: the link is not encrypted."
                + " Use ssl://HOST:PORT to reach a server that has a certificate.",
            settings.serverPin().source(),
            settings.serverUri());
      }
      return null;
    }
    return settings.serverPin() == null
        ? TlsSockets.systemTrust()
        : TlsSockets.pinned(settings.serverPin().sha256(), settings.serverPin().source());
  }

  private void subscribe(MqttAsyncClient target) throws MqttException {
    if (subscriptions.isEmpty()) {
      return;
    }
    MqttSubscription[] subs =
        subscriptions.stream()
            .map(s -> new MqttSubscription(s.filter(), s.qos()))
            .toArray(MqttSubscription[]::new);
    IMqttToken token = target.subscribe(subs);
    token.waitForCompletion(10_000);
    int[] codes = token.getReasonCodes();
    if (codes != null) {
      for (int i = 0; i < codes.length && i < subs.length; i++) {
        if (codes[i] >= 0x80) {
          throw new MqttException(codes[i]);
        }
      }
    }
  }

  private synchronized Duration nextDelay() {
    long min = settings.minBackoff().toMillis();
    long max = settings.maxBackoff().toMillis();
    long base = Math.min(max, min << Math.min(attempt, 20));
    attempt++;
    long jitter = base / 2 == 0 ? 0 : random.nextLong(base / 2 + 1);
    return Duration.ofMillis(base / 2 + jitter);
  }

  private static String describe(Throwable e) {
    if (e instanceof MqttException m) {
      int code = m.getReasonCode();
      if (code == 0x86 || code == 0x87 || code == 4 || code == 5) {
        return "refused: bad credentials (reason " + code + "); check the site key";
      }
      if (code == 0x88) {
        return "the broker is starting and asked to come back (reason 136)";
      }
      Throwable cause = m.getCause();
      for (Throwable c = cause; c != null; c = c.getCause()) {
        if (c instanceof javax.net.ssl.SSLException) {
          return "TLS refused: " + c.getMessage();
        }
      }
      return (m.getMessage() == null ? "error " + code : m.getMessage())
          + (cause != null ? ": " + cause.getMessage() : "");
    }
    return e.toString();
  }

  private Handler handlerFor(String topic) {
    for (Subscription s : subscriptions) {
      if (matches(s.filter(), topic)) {
        return s.handler();
      }
    }
    return null;
  }

  /** MQTT topic filter matching, shared-subscription prefix included. */
  static boolean matches(String filter, String topic) {
    if (filter.startsWith("$share/")) {
      int slash = filter.indexOf('/', "$share/".length());
      filter = filter.substring(slash + 1);
    }
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length) {
        return false;
      }
      if (!f[i].equals("+") && !f[i].equals(t[i])) {
        return false;
      }
    }
    return f.length == t.length;
  }

  private static void closeQuietly(MqttAsyncClient old) {
    try {
      if (old.isConnected()) {
        old.disconnectForcibly(0, 1_000, false);
      }
    } catch (MqttException | RuntimeException ignored) {
      // Already gone.
    }
    try {
      old.close(true);
    } catch (MqttException | RuntimeException ignored) {
      // Already closed.
    }
  }

  private final class Callback implements MqttCallback {
    private final MqttAsyncClient owner;

    Callback(MqttAsyncClient owner) {
      this.owner = owner;
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      if (owner != client) {
        return; // a replaced client saying goodbye
      }
      connected = false;
      lastProblem = "disconnected: " + response.getReasonString();
      log.info("Disconnected from {}: {}", settings.serverUri(), response);
      listener.disconnected(lastProblem);
      scheduleConnect(nextDelay());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      log.warn("MQTT error from {}: {}", settings.serverUri(), exception.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      Handler handler = handlerFor(topic);
      if (handler == null) {
        log.warn("Ignored a message on unexpected topic {}", topic);
        return;
      }
      try {
        handler.handle(topic, message.getPayload());
      } catch (Exception e) {
        // An Error (out of memory...) is not caught: Paho drops the connection, the message is
        // not acknowledged and comes again once the process is healthy.
        log.error(
            "Dropped a message on {} ({} bytes) that could not be handled: {}",
            topic,
            message.getPayload().length,
            e.toString(),
            e);
      }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (pendingConnect != null) {
        pendingConnect.cancel(false);
      }
    }
    connected = false;
    MqttAsyncClient client = this.client;
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        if (settings.endSessionOnClose()) {
          MqttProperties properties = new MqttProperties();
          properties.setSessionExpiryInterval(0L);
          client.disconnect(3_000, null, null, 0, properties).waitForCompletion(3_000);
        } else {
          client.disconnect().waitForCompletion(3_000);
        }
      }
    } catch (MqttException e) {
      log.debug("Disconnect from {} failed: {}", settings.serverUri(), e.toString());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      log.debug("Closing the client of {} failed: {}", settings.serverUri(), e.toString());
    }
  }
}

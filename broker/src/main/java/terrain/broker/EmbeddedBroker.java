// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import com.hivemq.extension.sdk.api.client.parameter.ServerInformation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.wire.WireCodec;
import terrain.transport.MqttCredentials;

/**
 * The MQTT broker embedded in the field hub and in the sync server's default mode: HiveMQ CE with
 * Terrain's authentication and topic permissions (see {@link MqttCredentials}), in-memory
 * persistence and one TCP listener.
 *
 * <p>Plan one broker per process. Brokers started one after the other may run side by side in one
 * JVM (tests do), but never start two at the same moment from different threads: HiveMQ's extension
 * SDK keeps its services in one static field, which the authentication extension reads while the
 * broker starts.
 *
 * <p>Starting HiveMQ leaves the process as it was: its logging bootstrap is disabled (it would
 * reset Logback from {@code conf/logback.xml} and redirect java.util.logging), and the default
 * uncaught-exception handler it installs (which calls {@code System.exit(1)} on its "unrecoverable"
 * errors) is put back. The HiveMQ jar also carries a {@code logback.xml} at its root: an
 * application that configures Logback with its own {@code logback.xml} must make sure its file
 * comes first on the class path (or use {@code -Dlogback.configurationFile}). HiveMQ registers no
 * JVM shutdown hook in embedded mode: the owner must call {@link #close()}.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

  /**
   * The loggers of the embedded broker ({@code migrations} is HiveMQ's too). HiveMQ logs its start
   * and stop at INFO; unless the application's logging configuration sets a level for them, {@link
   * #start} sets them to WARN.
   */
  public static final List<String> BROKER_LOGGERS = List.of("com.hivemq", "migrations");

  /**
   * Largest MQTT packet a client may send (docs/decisions/0014): Terrain's largest payload ({@link
   * WireCodec#MAX_MESSAGE_BYTES}) plus room for the fixed header, the topic and MQTT 5 properties.
   * A larger packet closes the connection; MQTT 5 clients learn the limit in the CONNACK and refuse
   * to send past it themselves.
   */
  static final int MAX_PACKET_BYTES = WireCodec.MAX_MESSAGE_BYTES + 4096;

  /**
   * Messages queued per client (offline, or slow past its receive maximum). Senders keep at most a
   * window of unacknowledged batches each (4 per kiosk, 8 per hub), so 1,000 covers some 250 kiosks
   * sending at once to one hub's ingest; past it the broker drops the newest, which their senders
   * send again after the ack timeout. Bounds a client's queue to about 260 MiB at worst.
   */
  static final long MAX_QUEUE_SIZE = 1_000;

  /** When a queue is full: drop the new message, so what waits stays in each sender's order. */
  static final String QUEUE_STRATEGY = "discard";

  /** In-flight QoS 1/2 messages a client may send before PUBACKs; HiveMQ's default is 10. */
  static final int SERVER_RECEIVE_MAXIMUM = 200;

  /**
   * The longest a session (and its queue) outlives its client: 7 days, whatever the client asks.
   * Terrain's clients ask for 2 days (devices) or 2 minutes (the server's ingest).
   */
  static final long MAX_SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;

  private static final String LISTENER_NAME = "terrain-mqtt";
  private static final long START_TIMEOUT_SECONDS = 120;

  private final EmbeddedHiveMQ hiveMq;
  private final String bindAddress;
  private final int port;
  private final Path keyStoreFile;
  private final AtomicBoolean devicesAdmitted;
  private boolean closed;

  private EmbeddedBroker(
      EmbeddedHiveMQ hiveMq,
      String bindAddress,
      int port,
      Path keyStoreFile,
      AtomicBoolean devicesAdmitted) {
    this.hiveMq = hiveMq;
    this.bindAddress = bindAddress;
    this.port = port;
    this.keyStoreFile = keyStoreFile;
    this.devicesAdmitted = devicesAdmitted;
  }

  /**
   * Starts a broker and returns once it accepts connections.
   *
   * @throws BrokerStartException if the port is taken ({@link BrokerStartException#isPortInUse()})
   *     or HiveMQ fails to start; no broker thread is left running
   * @throws UncheckedIOException if the work folder cannot be prepared
   */
  public static EmbeddedBroker start(BrokerSettings settings) {
    return start(settings, true, true);
  }

  /**
   * Starts a broker that lets the process's services log in at once but asks devices and hubs to
   * come back later (CONNACK "server unavailable", which their links retry with their back-off)
   * until {@link #admitDevices()}. A hub or server starts its broker this way and admits devices
   * once its ingest has subscribed: a device admitted before would send its window to a topic
   * nobody subscribes yet, the broker would drop it, and the device would wait its ack timeout (10
   * s for a kiosk, 20 s for a hub's uplink) to send it again.
   *
   * @throws BrokerStartException as {@link #start(BrokerSettings)}
   */
  public static EmbeddedBroker startHeld(BrokerSettings settings) {
    return start(settings, true, false);
  }

  /** As {@link #start(BrokerSettings)}; tests skip the port probe to reach HiveMQ's bind error. */
  static EmbeddedBroker start(BrokerSettings settings, boolean probePort) {
    return start(settings, probePort, true);
  }

  private static EmbeddedBroker start(
      BrokerSettings settings, boolean probePort, boolean admitDevices) {
    long startNanos = System.nanoTime();
    requireLocalAddress(settings.bindAddress());
    if (probePort && settings.port() != 0) {
      checkPortFree(settings.bindAddress(), settings.port());
    }
    Path confDir = settings.workDir().resolve("conf");
    Path dataDir = settings.workDir().resolve("data");
    Path extensionsDir = settings.workDir().resolve("extensions");
    Path keyStoreFile = null;
    try {
      Files.createDirectories(confDir);
      Files.createDirectories(dataDir);
      Files.createDirectories(extensionsDir);
      requireEmpty(extensionsDir);
      BrokerTlsFiles.KeyStoreFile tls = null;
      if (settings.tls() != null) {
        tls = BrokerTlsFiles.write(settings.tls(), confDir);
        keyStoreFile = tls.path();
      }
      // Owner-only: with TLS it holds the key store's password.
      BrokerTlsFiles.writeOwnerOnly(
          confDir.resolve("config.xml"),
          configXml(settings.bindAddress(), settings.port(), tls).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot prepare the MQTT broker folder " + settings.workDir() + ": " + e.getMessage(), e);
    }
    quietBrokerLoggers();

    AtomicBoolean devicesAdmitted = new AtomicBoolean(admitDevices);
    TerrainBrokerExtension extension =
        new TerrainBrokerExtension(settings.logins(), settings.ingestGroup(), devicesAdmitted::get);
    EmbeddedHiveMQ hiveMq =
        EmbeddedHiveMQ.builder()
            .withConfigurationFolder(confDir)
            .withDataFolder(dataDir)
            .withExtensionsFolder(extensionsDir)
            .withEmbeddedExtension(
                EmbeddedExtension.builder()
                    .withId("terrain-auth")
                    .withName("Terrain authentication and topic permissions")
                    .withVersion("1")
                    .withAuthor("Terrain")
                    .withPriority(1000)
                    .withStartPriority(1000)
                    .withExtensionMain(extension)
                    .build())
            .withoutLoggingBootstrap()
            .build();

    Thread.UncaughtExceptionHandler previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    try {
      hiveMq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      closeQuietly(hiveMq);
      Thread.currentThread().interrupt();
      throw new BrokerStartException("Interrupted while starting the MQTT broker", false, e);
    } catch (ExecutionException | TimeoutException e) {
      closeQuietly(hiveMq);
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      if (hasBindException(cause) || (settings.port() != 0 && !isPortFree(settings))) {
        throw BrokerStartException.portInUse(settings.bindAddress(), settings.port(), cause);
      }
      String why =
          e instanceof TimeoutException
              ? "it did not start within " + START_TIMEOUT_SECONDS + " s"
              : String.valueOf(cause);
      throw new BrokerStartException(
          "The MQTT broker failed to start on "
              + settings.bindAddress()
              + ":"
              + settings.port()
              + ": "
              + why,
          false,
          cause);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    }

    if (!extension.authenticatorInstalled()) {
      // Embedded HiveMQ lets everyone in when no authenticator is registered: fail closed.
      closeQuietly(hiveMq);
      throw new BrokerStartException(
          "The MQTT broker started without Terrain's authentication extension; stopped it.",
          false,
          null);
    }
    int actualPort;
    try {
      actualPort = boundPort(extension.serverInformation(), settings.port());
    } catch (RuntimeException e) {
      closeQuietly(hiveMq);
      throw new BrokerStartException(e.getMessage(), false, e);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    log.info(
        "MQTT broker listening on {}:{}{} (started in {} ms)",
        settings.bindAddress(),
        actualPort,
        settings.tls() == null ? "" : " with TLS only",
        millis);
    return new EmbeddedBroker(
        hiveMq, settings.bindAddress(), actualPort, keyStoreFile, devicesAdmitted);
  }

  /** Lets devices and hubs log in from now on (see {@link #startHeld}); idempotent. */
  public void admitDevices() {
    if (!devicesAdmitted.getAndSet(true)) {
      log.info("MQTT broker on {}:{} now admits devices", bindAddress, port);
    }
  }

  /** Whether devices and hubs may log in (false only between {@link #startHeld} and admit). */
  public boolean admitsDevices() {
    return devicesAdmitted.get();
  }

  /** The port the broker listens on (the real one when the settings asked for port 0). */
  public int port() {
    return port;
  }

  /** The address the broker listens on. */
  public String bindAddress() {
    return bindAddress;
  }

  /**
   * Whether the broker is running: not closed, and its port accepts a TCP connection within {@code
   * timeout}. For readiness checks.
   */
  public boolean isRunning(java.time.Duration timeout) {
    synchronized (this) {
      if (closed) {
        return false;
      }
    }
    String host =
        bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "127.0.0.1" : bindAddress;
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(host, port), (int) timeout.toMillis());
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * Closes the session of a connected client (a revoked device) at once; it can come back only if
   * the broker's {@link terrain.transport.Logins} still accept it. False when it was not connected.
   */
  public boolean disconnect(String clientId) {
    try {
      return com.hivemq.extension.sdk.api.services.Services.clientService()
          .disconnectClient(clientId)
          .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Could not disconnect MQTT client {}: {}", clientId, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops the broker and waits until it has released its port and threads. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long startNanos = System.nanoTime();
    try {
      hiveMq.close();
    } catch (ExecutionException e) {
      log.warn("The MQTT broker did not stop cleanly", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("Interrupted while stopping the MQTT broker");
    }
    if (keyStoreFile != null) {
      BrokerTlsFiles.deleteQuietly(keyStoreFile);
    }
    log.info(
        "MQTT broker on {}:{} stopped in {} ms",
        bindAddress,
        port,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  /** The generated HiveMQ configuration; element names follow HiveMQ's config.xsd. */
  static String configXml(String bindAddress, int port) {
    return configXml(bindAddress, port, null);
  }

  /** As {@link #configXml(String, int)}, with a TLS listener when {@code tls} is given. */
  static String configXml(String bindAddress, int port, BrokerTlsFiles.KeyStoreFile tls) {
    String listener =
        tls == null
            ? """
                <tcp-listener>
                    <port>%d</port>
                    <bind-address>%s</bind-address>
                    <name>%s</name>
                </tcp-listener>"""
                .formatted(port, xmlEscape(bindAddress), LISTENER_NAME)
            : """
                <tls-tcp-listener>
                    <port>%d</port>
                    <bind-address>%s</bind-address>
                    <name>%s</name>
                    <tls>
                        <keystore>
                            <path>%s</path>
                            <password>%s</password>
                            <private-key-password>%s</private-key-password>
                        </keystore>
                        <protocols>
                            <protocol>TLSv1.3</protocol>
                            <protocol>TLSv1.2</protocol>
                        </protocols>
                        <client-authentication-mode>NONE</client-authentication-mode>
                    </tls>
                </tls-tcp-listener>"""
                .formatted(
                    port,
                    xmlEscape(bindAddress),
                    LISTENER_NAME,
                    xmlEscape(tls.path().toAbsolutePath().toString()),
                    tls.password(),
                    tls.password());
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- Generated by Terrain at each broker start: edits are overwritten. -->
        <hivemq>
            <listeners>
        %s
            </listeners>
            <mqtt>
                <queued-messages>
                    <max-queue-size>%d</max-queue-size>
                    <strategy>%s</strategy>
                </queued-messages>
                <session-expiry>
                    <max-interval>%d</max-interval>
                </session-expiry>
                <receive-maximum>
                    <server-receive-maximum>%d</server-receive-maximum>
                </receive-maximum>
                <packets>
                    <max-packet-size>%d</max-packet-size>
                </packets>
            </mqtt>
            <persistence>
                <mode>in-memory</mode>
            </persistence>
            <anonymous-usage-statistics>
                <enabled>false</enabled>
            </anonymous-usage-statistics>
        </hivemq>
        """
        .formatted(
            listener,
            MAX_QUEUE_SIZE,
            QUEUE_STRATEGY,
            MAX_SESSION_EXPIRY_SECONDS,
            SERVER_RECEIVE_MAXIMUM,
            MAX_PACKET_BYTES);
  }

  private static void requireLocalAddress(String bindAddress) {
    try {
      InetAddress address = InetAddress.getByName(bindAddress);
      if (!address.isAnyLocalAddress()
          && !address.isLoopbackAddress()
          && NetworkInterface.getByInetAddress(address) == null) {
        throw new BrokerStartException(
            "Cannot listen for MQTT on "
                + bindAddress
                + ": it is not an address of this machine. Use 0.0.0.0 to listen everywhere.",
            false,
            null);
      }
    } catch (IOException e) {
      throw new BrokerStartException(
          "Cannot listen for MQTT on " + bindAddress + ": " + e.getMessage(), false, e);
    }
  }

  private static void checkPortFree(String bindAddress, int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(bindAddress, port));
    } catch (BindException e) {
      throw BrokerStartException.portInUse(bindAddress, port, e);
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      throw new BrokerStartException(
          "Cannot listen for MQTT on " + bindAddress + ":" + port + ": " + e.getMessage(),
          false,
          e);
    }
  }

  private static boolean isPortFree(BrokerSettings settings) {
    try {
      checkPortFree(settings.bindAddress(), settings.port());
      return true;
    } catch (BrokerStartException e) {
      return !e.isPortInUse();
    }
  }

  private static boolean hasBindException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static int boundPort(ServerInformation info, int configuredPort) {
    if (info != null) {
      for (Listener listener : info.getListener()) {
        // HiveMQ writes the real port back into its listener after binding (matters for port 0).
        if ((listener.getListenerType() == ListenerType.TCP_LISTENER
                || listener.getListenerType() == ListenerType.TLS_TCP_LISTENER)
            && LISTENER_NAME.equals(listener.getName())) {
          return listener.getPort();
        }
      }
    }
    if (configuredPort == 0) {
      throw new IllegalStateException("The MQTT broker started but did not report its port");
    }
    return configuredPort;
  }

  private static void requireEmpty(Path extensionsDir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(extensionsDir)) {
      if (entries.iterator().hasNext()) {
        throw new BrokerStartException(
            extensionsDir
                + " must be empty: HiveMQ would load what it contains as extensions, and"
                + " Terrain's broker takes none from disk. Remove its content.",
            false,
            null);
      }
    }
  }

  private static void closeQuietly(EmbeddedHiveMQ hiveMq) {
    try {
      hiveMq.close();
    } catch (ExecutionException e) {
      log.debug("Closing the MQTT broker after a failed start also failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * Sets {@link #BROKER_LOGGERS} to WARN when Logback is the SLF4J backend and the application did
   * not configure them. Reflection keeps Logback out of this module's compile dependencies; with
   * another backend, configure those logger names there.
   */
  static void quietBrokerLoggers() {
    for (String name : BROKER_LOGGERS) {
      Object logger = LoggerFactory.getLogger(name);
      if (!"ch.qos.logback.classic.Logger".equals(logger.getClass().getName())) {
        return;
      }
      try {
        Method getLevel = logger.getClass().getMethod("getLevel");
        if (getLevel.invoke(logger) != null) {
          continue; // the application chose a level: keep it
        }
        Class<?> levelClass =
            Class.forName("ch.qos.logback.classic.Level", true, logger.getClass().getClassLoader());
        Object warn = levelClass.getField("WARN").get(null);
        logger.getClass().getMethod("setLevel", levelClass).invoke(logger, warn);
      } catch (ReflectiveOperationException | RuntimeException e) {
        log.debug("Could not set logger {} to WARN", name, e);
      }
    }
  }
}

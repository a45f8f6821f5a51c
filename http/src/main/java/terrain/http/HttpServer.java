// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Jetty 12 server with one HTTP/1.1 connector, a bounded thread pool and one handler. Build it
 * with {@link #builder()}; {@link #close()} lets requests in flight finish, then stops.
 *
 * <p>Under abuse (decision 0018): request bodies are read in full without a thread before the
 * handler runs, bounded in size and held to a minimum data rate; idle connections close after the
 * idle timeout; connections beyond a maximum wait in the accept queue; forwarding headers are
 * believed only from {@link Builder#trustProxy trusted proxies}.
 */
public final class HttpServer implements AutoCloseable {
  /**
   * Connections waiting for the server to accept them, by default: a public meeting's phones at
   * once, well under Linux's cap ({@code net.core.somaxconn}, 4096).
   */
  public static final int DEFAULT_ACCEPT_QUEUE = 1024;

  private final Server server;
  private final ServerConnector connector;
  private final String bindAddress;
  private final boolean tls;

  private HttpServer(Server server, ServerConnector connector, String bindAddress, boolean tls) {
    this.server = server;
    this.connector = connector;
    this.bindAddress = bindAddress;
    this.tls = tls;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port listened on (the chosen one when the builder asked for 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /**
   * The base URL to reach the server from this machine, e.g. {@code http://127.0.0.1:8470}, or
   * {@code https://...} with TLS.
   */
  public String url() {
    return (tls ? "https://" : "http://") + localHost(bindAddress) + ":" + port();
  }

  /** Whether the connector speaks HTTPS only. */
  public boolean isTls() {
    return tls;
  }

  /** Stops accepting, waits up to the stop timeout for requests in flight, then stops. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("The HTTP server did not stop cleanly: " + e, e);
    }
  }

  /** The settings of a server; every one has a default fit for a small machine. */
  public static final class Builder {
    private String name = "http";
    private String bindAddress = "127.0.0.1";
    private int port;
    private String portOption = "--http";
    private int minThreads = 2;
    private int maxThreads = 16;
    private int acceptors = -1;
    private int selectors = -1;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int maxBodyBytes = 64 * 1024;
    private long minBytesPerSecond = 1024;
    private Duration minRateGrace = Duration.ofSeconds(5);
    private int maxConnections = 1000;
    private int acceptQueue = DEFAULT_ACCEPT_QUEUE;
    private TrustedProxies trustedProxies = TrustedProxies.NONE;
    private Duration stopTimeout = Duration.ofSeconds(5);
    private UriCompliance uriCompliance = UriCompliance.DEFAULT;
    private Handler handler;
    private TlsIdentity tls;
    private Metrics metrics;

    private Builder() {}

    /** Times every request into {@code metrics} ({@link Metrics#timed}). */
    public Builder metrics(Metrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Serves HTTPS only on the port, with this identity (see {@link TlsIdentity#load}); plain HTTP
     * to the port fails. The key stays in memory.
     */
    public Builder tls(TlsIdentity identity) {
      this.tls = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** The prefix of the server's thread names, e.g. {@code hub-http}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Where to listen: an address of this machine, {@code 0.0.0.0} for all, and a port. */
    public Builder bind(String bindAddress, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Port [" + port + "] must be between 0 and 65535");
      }
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      this.port = port;
      return this;
    }

    /** The command-line option that chooses the port, named in the "port in use" message. */
    public Builder portOption(String option) {
      this.portOption = Objects.requireNonNull(option, "option");
      return this;
    }

    /** Threads kept and at most used; {@code max} bounds the requests handled at once. */
    public Builder threads(int min, int max) {
      if (min < 1 || max < min) {
        throw new IllegalArgumentException(
            "Threads min [" + min + "] and max [" + max + "] must satisfy 1 <= min <= max");
      }
      this.minThreads = min;
      this.maxThreads = max;
      return this;
    }

    /** Acceptor and selector threads of the connector; -1 lets Jetty choose from the cores. */
    public Builder connectorThreads(int acceptors, int selectors) {
      this.acceptors = acceptors;
      this.selectors = selectors;
      return this;
    }

    /** How long an idle connection stays open. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * The largest request body accepted (default 64 KiB): a larger {@code Content-Length} is
     * answered 413 before a byte is read. Endpoints may set smaller limits of their own.
     */
    public Builder maxRequestBody(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("Max request body [" + bytes + "] must be 1 or more");
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * The minimum rate at which a request body must arrive (default 1024 bytes/s after 5 s): once
     * {@code grace} has passed since the headers, a body behind {@code bytesPerSecond} on average
     * is answered 408 and its connection closed. 0 turns the check off.
     */
    public Builder minRequestDataRate(long bytesPerSecond, Duration grace) {
      if (bytesPerSecond < 0) {
        throw new IllegalArgumentException(
            "Min request data rate [" + bytesPerSecond + "] must be 0 (off) or more bytes/s");
      }
      this.minBytesPerSecond = bytesPerSecond;
      this.minRateGrace = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /**
     * Connections open at once (default 1000); past it the server stops accepting until one closes,
     * so a flood of idle connections cannot exhaust the process's file descriptors.
     */
    public Builder maxConnections(int connections) {
      if (connections < 1) {
        throw new IllegalArgumentException(
            "Max connections [" + connections + "] must be 1 or more");
      }
      this.maxConnections = connections;
      return this;
    }

    /**
     * Connections the kernel holds, handshake done, until the server accepts them (default {@link
     * #DEFAULT_ACCEPT_QUEUE}). Past it the kernel drops a new connection's first packet, and the
     * client tries again a second later, then three: phones told to scan their tickets at once
     * would wait. Java's own default is 50; Linux caps the value at {@code net.core.somaxconn}
     * (4096 since kernel 5.4).
     */
    public Builder acceptQueue(int connections) {
      if (connections < 1 || connections > 65535) {
        throw new IllegalArgumentException(
            "Accept queue [" + connections + "] must be between 1 and 65535");
      }
      this.acceptQueue = connections;
      return this;
    }

    /**
     * Believes {@code Forwarded} and {@code X-Forwarded-*} from these proxies only: behind them the
     * client's address, the scheme ({@code request.isSecure()}) and the host are the original ones;
     * from any other peer the headers are ignored. {@link TrustedProxies#NONE} by default.
     */
    public Builder trustProxy(TrustedProxies proxies) {
      this.trustedProxies = Objects.requireNonNull(proxies, "proxies");
      return this;
    }

    /** How long {@link HttpServer#close()} waits for requests in flight. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Which URI violations to accept (default: Jetty's {@link UriCompliance#DEFAULT}). */
    public Builder uriCompliance(UriCompliance compliance) {
      this.uriCompliance = Objects.requireNonNull(compliance, "compliance");
      return this;
    }

    public Builder handler(Handler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Starts listening; returns once connections are accepted.
     *
     * @throws HttpStartException if the port is taken or the server fails; nothing is left running
     */
    public HttpServer start() {
      if (handler == null) {
        throw new IllegalStateException("No handler: call handler(...) before start()");
      }
      QueuedThreadPool threads = new QueuedThreadPool(maxThreads, minThreads);
      // No reserved threads (decision 0010): with them Jetty runs a newly readable connection at
      // once on a spare thread while requests already queued for a busy pool wait, so under load
      // some clients were served again and again and others waited a second or more. Without
      // them every request waits its turn in the pool's FIFO queue.
      threads.setReservedThreads(0);
      threads.setName(name);
      Server server = new Server(threads);
      server.setStopTimeout(stopTimeout.toMillis());
      HttpConfiguration config = new HttpConfiguration();
      config.setSendServerVersion(false);
      config.setSendXPoweredBy(false);
      config.setUriCompliance(uriCompliance);
      config.setIdleTimeout(idleTimeout.toMillis());
      if (!trustedProxies.isEmpty()) {
        // First, so that the TLS customizer and the handlers see the original scheme and client.
        config.addCustomizer(new TrustedForwarding(trustedProxies));
      }
      ServerConnector connector =
          tls == null
              ? new ServerConnector(server, acceptors, selectors, new HttpConnectionFactory(config))
              : tlsConnector(server, config);
      connector.setHost(bindAddress);
      connector.setPort(port);
      connector.setAcceptQueueSize(acceptQueue);
      connector.setIdleTimeout(idleTimeout.toMillis());
      // On stop, connections idle between requests close after this instead of Jetty's second;
      // requests in flight are waited for all the same (GracefulHandler below).
      connector.setShutdownIdleTimeout(100);
      server.addConnector(connector);
      server.addBean(new ConnectionLimit(maxConnections, connector));
      Handler bodyFirst = new BodyFirst(handler, maxBodyBytes, minBytesPerSecond, minRateGrace);
      // Counts requests in flight so that a stop lets them finish.
      server.setHandler(
          new GracefulHandler(metrics == null ? bodyFirst : metrics.timed(bodyFirst)));
      try {
        server.start();
      } catch (Exception e) {
        try {
          server.stop();
        } catch (Exception ignored) {
          // Nothing was serving yet; the start failure is what matters.
        }
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (hasBindException(e) && !isLocal(bindAddress)) {
          throw new HttpStartException(
              "Cannot listen on "
                  + bindAddress
                  + ": it is not an address of this machine. Pass --bind with one of its"
                  + " addresses, or 0.0.0.0 for all.",
              false,
              e);
        }
        if (hasBindException(e)) {
          throw new HttpStartException(
              "HTTP port "
                  + port
                  + " is already in use. Stop the other process or pass "
                  + portOption
                  + " PORT with a free port (0 picks one).",
              true,
              e);
        }
        throw new HttpStartException(
            "The HTTP server failed to start on " + bindAddress + ":" + port + ": " + e, false, e);
      }
      return new HttpServer(server, connector, bindAddress, tls != null);
    }

    private ServerConnector tlsConnector(Server server, HttpConfiguration config) {
      char[] password = TlsIdentity.randomPassword();
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(tls.keyStore("PKCS12", password));
      ssl.setKeyStorePassword(new String(password));
      // Pinned hubs and tablets reach the server by its address as often as by its name: the
      // certificate is checked by the client, so Jetty need not compare the Host with it.
      SecureRequestCustomizer secure = new SecureRequestCustomizer(false, false, -1, false);
      config.addCustomizer(secure);
      config.setSecureScheme("https");
      HttpConnectionFactory http = new HttpConnectionFactory(config);
      return new ServerConnector(
          server, acceptors, selectors, new SslConnectionFactory(ssl, http.getProtocol()), http);
    }
  }

  private static boolean hasBindException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code bindAddress} is this machine's; a bind failure elsewhere is not a taken port.
   */
  private static boolean isLocal(String bindAddress) {
    try {
      InetAddress address = InetAddress.getByName(bindAddress);
      return address.isAnyLocalAddress()
          || address.isLoopbackAddress()
          || NetworkInterface.getByInetAddress(address) != null;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The host at which this machine reaches a listener bound to {@code bindAddress}: loopback for
   * the wildcard address, an IPv6 address in brackets. For any listener's URL, the hub's broker's
   * too.
   */
  public static String localHost(String bindAddress) {
    try {
      InetAddress address = InetAddress.getByName(bindAddress);
      if (address.isAnyLocalAddress()) {
        return "127.0.0.1";
      }
      String host = address.getHostAddress();
      return host.contains(":") ? "[" + host + "]" : host;
    } catch (UnknownHostException e) {
      return bindAddress;
    }
  }
}

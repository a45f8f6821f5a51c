// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.http;

import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Jetty 12 server with one HTTP connector and a bounded thread pool (a hub is a Raspberry
 * Pi: a handful of facilitators look at it, not the world).
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private static final int MAX_THREADS = 16;
  private static final int MIN_THREADS = 2;

  private final Server server;
  private final String url;

  private HttpServer(Server server, String url) {
    this.server = server;
    this.url = url;
  }

  /**
   * Starts serving {@code handler} on {@code bindAddress:port} (port 0 picks a free one).
   *
   * @param name the thread-name prefix, e.g. {@code hub-http}
   * @throws HttpStartException if the port is taken or the server fails; nothing is left running
   */
  public static HttpServer start(String name, String bindAddress, int port, Handler handler) {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
    threads.setName(name);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(bindAddress);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(handler);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      if (hasBindException(e)) {
        throw new HttpStartException(
            "HTTP port "
                + port
                + " is already in use. Stop the other process or pass --http PORT with a free port"
                + " (0 picks one).",
            true,
            e);
      }
      throw new HttpStartException(
          "The HTTP server failed to start on " + bindAddress + ":" + port + ": " + e, false, e);
    }
    return new HttpServer(
        server, "http://" + displayHost(bindAddress) + ":" + connector.getLocalPort());
  }

  /** The base URL to reach the server from this machine, e.g. {@code http://127.0.0.1:8470}. */
  public String url() {
    return url;
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() {
    stopQuietly(server);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("The HTTP server did not stop cleanly: {}", e.toString());
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

  private static String displayHost(String bindAddress) {
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

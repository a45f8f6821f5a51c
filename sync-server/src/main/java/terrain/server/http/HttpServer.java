// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import java.io.IOException;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A Jetty 12 server with one HTTP/1.1 connector and one handler. */
public final class HttpServer implements AutoCloseable {
  /** Requests handled at once at most. */
  static final int MAX_THREADS = 32;

  private final Server server;
  private final ServerConnector connector;

  private HttpServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts listening; returns once connections are accepted.
   *
   * @param port 0 picks a free port, see {@link #port()}
   * @throws IOException if the address cannot be bound (a {@link java.net.BindException} in the
   *     causes when the port is taken)
   */
  public static HttpServer start(String bindAddress, int port, Handler handler) throws Exception {
    // Handlers block on the database, but more of them is not faster: Derby's lock manager scans
    // the holders of a table's intent lock on every lock, so 128 concurrent claims were a third
    // slower than 32 (bench tickets, profiled: LockControl.addLock).
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
    // No reserved threads: with them, Jetty runs a newly readable connection at once on a spare
    // thread while requests already queued for a busy pool wait, so under load some clients were
    // served again and again and others waited a second or more (bench tickets, 100 clients:
    // p50 33 ms, p99 1.1 s). Without them every request waits its turn in the pool's FIFO queue
    // (p50 120 ms, p99 220 ms at the same throughput).
    threads.setReservedThreads(0);
    threads.setName("http");
    Server server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    // Event ids come from records and may hold a '/': links encode it as %2F, and WebHandler
    // splits the raw path before decoding, so an encoded separator is not ambiguous here.
    config.setUriCompliance(
        UriCompliance.DEFAULT.with("terrain", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost(bindAddress);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(handler);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // Nothing was serving yet.
      }
      throw e;
    }
    return new HttpServer(server, connector);
  }

  public int port() {
    return connector.getLocalPort();
  }

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
}

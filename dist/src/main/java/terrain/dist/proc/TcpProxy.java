// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay on loopback between a client and a server port that can cut the link, like a field
 * hub's 4G uplink dropping: {@link #cut()} closes every relayed connection and refuses new ones
 * until {@link #restore()}. Neither end is told anything: their sockets just end.
 */
public final class TcpProxy implements AutoCloseable {
  private final String targetHost;
  private final int target;
  private final ServerSocket listener;
  private final List<Socket> open = new ArrayList<>();
  private final Thread acceptor;
  private boolean cut;
  private boolean closed;

  /** Listens on a free loopback port and relays each connection to {@code targetPort}. */
  public TcpProxy(int targetPort) throws IOException {
    this(null, targetPort);
  }

  /**
   * Listens on a free loopback port and relays each connection to {@code targetHost:targetPort}
   * (null: loopback), e.g. an external MQTT broker.
   */
  public TcpProxy(String targetHost, int targetPort) throws IOException {
    if (targetPort < 1 || targetPort > 65_535) {
      throw new IllegalArgumentException(
          "targetPort [" + targetPort + "] must be a TCP port, 1 to 65535");
    }
    this.targetHost = targetHost;
    this.target = targetPort;
    this.listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.acceptor = new Thread(this::acceptLoop, "proxy-" + listener.getLocalPort() + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Cuts the link: closes every relayed connection and refuses new ones. */
  public void cut() {
    List<Socket> toClose;
    synchronized (this) {
      cut = true;
      toClose = List.copyOf(open);
      open.clear();
    }
    toClose.forEach(TcpProxy::quietClose);
  }

  /** Lets connections through again. */
  public synchronized void restore() {
    cut = false;
  }

  public synchronized boolean isCut() {
    return cut;
  }

  private void acceptLoop() {
    while (true) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      synchronized (this) {
        if (cut || closed) {
          quietClose(client);
          continue;
        }
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(
            targetHost == null
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), target)
                : new InetSocketAddress(targetHost, target),
            2_000);
      } catch (IOException e) {
        // The server is down: the client sees its connection end, as with no route.
        quietClose(client);
        quietClose(upstream);
        continue;
      }
      synchronized (this) {
        if (cut || closed) {
          quietClose(client);
          quietClose(upstream);
          continue;
        }
        open.add(client);
        open.add(upstream);
      }
      pump(client, upstream);
      pump(upstream, client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // One side ended or the link was cut: end both.
              } finally {
                quietClose(from);
                quietClose(to);
                synchronized (this) {
                  open.remove(from);
                  open.remove(to);
                }
              }
            },
            "proxy-" + port() + "-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void quietClose(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing a broken socket: nothing more to do.
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    cut();
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing the listener only stops new connections.
    }
  }
}

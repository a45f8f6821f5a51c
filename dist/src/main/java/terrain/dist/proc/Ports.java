// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.proc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free TCP ports on this machine, for tests and benchmarks that start several processes. */
public final class Ports {
  private Ports() {}

  /** A port that was free a moment ago (the kernel's ephemeral range, never 1883 or 5432). */
  public static int free() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

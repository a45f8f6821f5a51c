// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NetworkTest {
  @Test
  void portForLaterUse_isBelowTheEphemeralRangeAndFree() throws Exception {
    int[] range = Network.ephemeralRange();
    assertTrue(range[0] > Network.LOWEST + 1000, "this machine's ephemeral range: " + range[0]);

    for (int i = 0; i < 20; i++) {
      int port = Network.portForLaterUse();

      assertTrue(
          port >= Network.LOWEST && port < range[0],
          () -> port + " is outside [" + Network.LOWEST + ", " + range[0] + ")");
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertEquals(port, socket.getLocalPort());
      }
    }
  }

  @Test
  void firstFree_whenAPortIsTaken_givesTheNextCandidate() throws Exception {
    int port = Network.portForLaterUse();
    int other = Network.portForLaterUse();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));

      assertEquals(OptionalInt.of(other), Network.firstFree(IntStream.of(port, other).iterator()));
      assertEquals(OptionalInt.empty(), Network.firstFree(IntStream.of(port).iterator()));
    }
  }
}

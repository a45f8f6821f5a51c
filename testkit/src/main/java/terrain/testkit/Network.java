// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.OptionalInt;
import java.util.PrimitiveIterator;
import java.util.concurrent.ThreadLocalRandom;

/** This machine's network addresses, for tests of what a client on another host sees. */
public final class Network {
  /** Where Linux says its ephemeral ports are; read when a test asks for a port to use later. */
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** The lowest port {@link #portForLaterUse} picks: above the registered services' usual ones. */
  static final int LOWEST = 20000;

  private Network() {}

  /**
   * A TCP port free on every address now, chosen below the kernel's ephemeral range, for a test
   * that must name a port before anything listens on it (a broker that starts after its client).
   *
   * <p>A port from {@code bind(0)} comes from the ephemeral range, where the kernel also gives out
   * the local ports of every other process's outgoing connections and {@code bind(0)}s: with the
   * modules' tests running side by side, one of them could take it before the test listens. A port
   * below that range is only ever taken by a process that names it. Where the range cannot be read
   * (not Linux), the port comes from {@code bind(0)}.
   */
  public static int portForLaterUse() {
    int[] range = ephemeralRange();
    if (range[0] - LOWEST < 1000) {
      return ephemeralPort();
    }
    return firstFree(ThreadLocalRandom.current().ints(LOWEST, range[0]).limit(100).iterator())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no free port between " + LOWEST + " and " + range[0] + " in 100 tries"));
  }

  /** The first of {@code candidates} free on every address, if any is. */
  static OptionalInt firstFree(PrimitiveIterator.OfInt candidates) {
    while (candidates.hasNext()) {
      int port = candidates.nextInt();
      if (freeOnEveryAddress(port)) {
        return OptionalInt.of(port);
      }
    }
    return OptionalInt.empty();
  }

  /** The kernel's ephemeral port range, or {@code [0, 0]} when it cannot be read. */
  static int[] ephemeralRange() {
    // Read line by line: Files.readString and readAllBytes stop after the first byte of this
    // procfs file (its size says 0).
    try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
      String[] parts = reader.readLine().trim().split("\\s+");
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    } catch (IOException | RuntimeException e) {
      return new int[] {0, 0};
    }
  }

  private static boolean freeOnEveryAddress(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e.getMessage(), e);
    }
  }

  /**
   * An IPv4 address of this machine on an interface other than loopback: a request to it comes from
   * that address, not from 127.0.0.1, as a client on the network would. A failure in CI when there
   * is none, a loud skip elsewhere.
   */
  public static InetAddress siteAddress() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address
              && !address.isLoopbackAddress()
              && !address.isLinkLocalAddress()) {
            return address;
          }
        }
      }
    } catch (SocketException e) {
      throw new IllegalStateException("listing the network interfaces: " + e.getMessage(), e);
    }
    Services.missing(
        "a network interface other than loopback with an IPv4 address",
        "run the test on a machine or container with a network interface");
    throw new IllegalStateException("unreachable");
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** This machine's network addresses, for tests of what a client on another host sees. */
public final class Network {
  private Network() {}

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

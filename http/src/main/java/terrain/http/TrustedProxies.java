// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The reverse proxies whose {@code Forwarded} and {@code X-Forwarded-*} headers a server believes
 * ({@code --trust-proxy CIDR[,CIDR...]}): address blocks such as {@code 127.0.0.1/32}, {@code
 * 10.0.0.0/8} or {@code ::1/128}; a bare address is one host. Only IP literals: a host name would
 * make trust depend on DNS.
 *
 * @param blocks the blocks as given, normalised (stripped), in order; empty trusts nobody
 */
public record TrustedProxies(List<String> blocks) {
  /** No proxy trusted: forwarding headers are ignored, the TCP peer is the client. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  public TrustedProxies {
    blocks = List.copyOf(blocks);
    for (String block : blocks) {
      problem("blocks", block)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException(p);
              });
    }
  }

  /**
   * Parses {@code value}, comma-separated blocks; null or blank is {@link #NONE}.
   *
   * @param option the option named in the message, e.g. {@code --trust-proxy}
   * @throws IllegalArgumentException naming the option, the block and the expected form
   */
  public static TrustedProxies parse(String option, String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    List<String> blocks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String block = part.strip();
      problem(option, block).ifPresentOrElse(problems::add, () -> blocks.add(block));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return new TrustedProxies(blocks);
  }

  /** Whether no proxy is trusted. */
  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** A matcher of the blocks (Jetty's CIDR matching). */
  InetAddressSet matcher() {
    InetAddressSet set = new InetAddressSet();
    set.addAll(blocks);
    return set;
  }

  private static Optional<String> problem(String option, String block) {
    String form =
        ": pass an address or an address block, e.g. 127.0.0.1, 10.0.0.0/8 or ::1/128 (the"
            + " reverse proxy's address as this server sees it), several separated by commas.";
    Objects.requireNonNull(block, "block");
    String address = block;
    int bits = -1;
    int slash = block.indexOf('/');
    if (slash >= 0) {
      address = block.substring(0, slash);
      String prefix = block.substring(slash + 1);
      if (!prefix.matches("\\d{1,3}")) {
        return Optional.of(option + " [" + block + "] has no prefix length after '/'" + form);
      }
      bits = Integer.parseInt(prefix);
    }
    boolean v4 = IPV4.matcher(address).matches();
    boolean v6 = !v4 && IPV6.matcher(address).matches();
    if (!v4 && !v6) {
      return Optional.of(option + " [" + block + "] is not an IP address" + form);
    }
    if (v6) {
      try {
        InetAddress.getByName(address); // an IPv6 literal: no DNS lookup
      } catch (UnknownHostException e) {
        return Optional.of(option + " [" + block + "] is not an IP address" + form);
      }
    }
    int max = v4 ? 32 : 128;
    if (bits > max) {
      return Optional.of(option + " [" + block + "] has a prefix length above " + max + form);
    }
    return Optional.empty();
  }
}

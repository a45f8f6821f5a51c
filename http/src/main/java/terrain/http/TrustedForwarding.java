// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * Jetty's {@link ForwardedRequestCustomizer} ({@code Forwarded}, {@code X-Forwarded-For}, {@code
 * -Proto}, {@code -Host}, {@code -Port}) applied only when the TCP peer is a trusted proxy. From
 * any other peer the headers are ignored: the peer is the client and the scheme the connector's, so
 * a client cannot pick the address its rate limit keys on nor pretend to have come over HTTPS.
 */
final class TrustedForwarding implements HttpConfiguration.Customizer {
  private final InetAddressSet trusted;
  private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();

  TrustedForwarding(TrustedProxies proxies) {
    this.trusted = proxies.matcher();
  }

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
    if (peer instanceof InetSocketAddress address
        && address.getAddress() != null
        && trusted.test(address.getAddress())) {
      return forwarded.customize(request, responseHeaders);
    }
    return request;
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport.tls;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/** Client socket factories for TLS links. */
public final class TlsSockets {
  private TlsSockets() {}

  /**
   * Sockets that trust only the certificate with this pin (see {@link PinnedTrustManager}).
   *
   * @param option where the pin came from, named when the server presents another certificate
   */
  public static SSLSocketFactory pinned(String pin, String option) {
    String checked = CertificatePin.parse(pin, option);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          null, new TrustManager[] {new PinnedTrustManager(checked, option)}, new SecureRandom());
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This Java runtime has no TLS: " + e, e);
    }
  }

  /** Sockets that trust the system's CAs (host names are checked by the caller). */
  public static SSLSocketFactory systemTrust() {
    return (SSLSocketFactory) SSLSocketFactory.getDefault();
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts exactly one server certificate, the one whose SHA-256 is the pin (see {@link
 * CertificatePin}). No CA, host name or validity date is checked: the pin names the certificate
 * itself, and a field hub's clock may be wrong until it has reached the server. A mismatch is
 * logged once per certificate seen (the link retries every few seconds) and refused.
 */
final class PinnedTrustManager extends X509ExtendedTrustManager {
  private static final Logger log = LoggerFactory.getLogger(PinnedTrustManager.class);

  private final String pin;
  private final String option;
  private final AtomicReference<String> lastRefused = new AtomicReference<>();

  PinnedTrustManager(String pin, String option) {
    this.pin = pin;
    this.option = option;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("The server presented no certificate");
    }
    String seen = CertificatePin.of(chain[0]);
    if (CertificatePin.same(seen, pin)) {
      return;
    }
    String message =
        "The server's certificate ("
            + chain[0].getSubjectX500Principal().getName()
            + ") has SHA-256 "
            + seen
            + ", not the pinned "
            + pin
            + ": refused. If the server's certificate was renewed, pass its new SHA-256 (printed"
            + " in the server's start log) as "
            + option
            + "; otherwise something sits between this hub and the server.";
    if (!seen.equals(lastRefused.getAndSet(seen))) {
      log.warn(message);
    }
    throw new CertificateException(message);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("A pinned client link trusts no client certificate");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}

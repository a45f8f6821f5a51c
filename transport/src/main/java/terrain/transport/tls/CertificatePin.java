// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The pin of a server certificate: the hex SHA-256 of its DER form, as {@code openssl x509 -noout
 * -fingerprint -sha256} prints it (colons and capitals are accepted and dropped). A hub that pins
 * the server's certificate trusts that one certificate and nothing else: no CA, no host name.
 */
public final class CertificatePin {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private CertificatePin() {}

  /** The pin of {@code certificate}, 64 lowercase hex digits. */
  public static String of(Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot hash the certificate: " + e, e);
    }
  }

  /**
   * The pin of the first certificate of a PEM (or DER) file, e.g. the server's {@code --tls-cert}.
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no certificate
   */
  public static String ofFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return of(CertificateFactory.getInstance("X.509").generateCertificate(in));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read the certificate " + file + " (" + e + "): pass a readable PEM file.", e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          file
              + " holds no certificate ("
              + e.getMessage()
              + "): pass the server's certificate in PEM form (BEGIN CERTIFICATE).",
          e);
    }
  }

  /**
   * {@code text} as a pin: 64 hex digits, colons and spaces dropped, lowercase.
   *
   * @param option the option or field the text came from, named in the message
   * @throws IllegalArgumentException if it is not a SHA-256 in hex
   */
  public static String parse(String text, String option) {
    String pin =
        text == null ? "" : text.replace(":", "").replace(" ", "").strip().toLowerCase(Locale.ROOT);
    if (!HEX.matcher(pin).matches()) {
      throw new IllegalArgumentException(
          option
              + " ["
              + text
              + "] is not a certificate SHA-256: pass the 64 hex digits the sync server prints at"
              + " start (\"TLS certificate SHA-256: ...\"), or `openssl x509 -noout -fingerprint"
              + " -sha256 -in CERT`.");
    }
    return pin;
  }

  /** Whether the two pins are equal, in a time that does not depend on where they differ. */
  static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}

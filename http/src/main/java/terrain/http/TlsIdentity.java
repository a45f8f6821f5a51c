// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A TLS server identity read from PEM files, as operators get them from their CA or Let's Encrypt:
 * a certificate chain ({@code BEGIN CERTIFICATE}, the server's own first) and its private key
 * (PKCS#8 {@code BEGIN PRIVATE KEY}, or OpenSSL's traditional {@code BEGIN RSA PRIVATE KEY} and
 * {@code BEGIN EC PRIVATE KEY}). Encrypted keys are refused with the command that decrypts them.
 *
 * <p>The same identity serves HTTPS ({@link HttpServer.Builder#tls}) and the MQTT broker's TLS
 * listener; {@link #sha256()} is the pin field hubs compare the server's certificate with.
 */
public final class TlsIdentity {
  private final List<X509Certificate> chain;
  private final PrivateKey privateKey;

  private TlsIdentity(List<X509Certificate> chain, PrivateKey privateKey) {
    this.chain = List.copyOf(chain);
    this.privateKey = privateKey;
  }

  /**
   * Reads and checks the two files.
   *
   * @param certOption the option that named {@code certFile}, e.g. {@code --tls-cert}, for messages
   * @param keyOption the option that named {@code keyFile}, e.g. {@code --tls-key}
   * @throws TlsFileException saying which option is wrong and what to do
   */
  public static TlsIdentity load(Path certFile, Path keyFile, String certOption, String keyOption) {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    List<X509Certificate> chain = readChain(certFile, certOption, keyOption);
    PrivateKey key = readKey(keyFile, keyOption, certOption);
    if (!matches(key, chain.get(0))) {
      throw new TlsFileException(
          keyOption
              + " "
              + keyFile
              + " is not the private key of the certificate in "
              + certOption
              + " "
              + certFile
              + " ("
              + chain.get(0).getSubjectX500Principal().getName()
              + "): pass the key file made with that certificate (compare `openssl x509 -noout"
              + " -pubkey -in CERT` with `openssl pkey -pubout -in KEY`).");
    }
    return new TlsIdentity(chain, key);
  }

  /** The certificate chain, the server's own certificate first. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The server's own certificate. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** When the server's certificate expires. */
  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /** Hex SHA-256 of the server certificate's DER form: what hubs pin. */
  public String sha256() {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("The certificate cannot be encoded again: " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /**
   * A key store of {@code type} ({@code PKCS12}, {@code JKS}) in memory, holding the key and chain
   * under the alias {@code terrain}, the key protected by {@code password}.
   */
  public KeyStore keyStore(String type, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance(type);
      store.load(null, null);
      store.setKeyEntry("terrain", privateKey, password, chain.toArray(X509Certificate[]::new));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot build a " + type + " key store in memory: " + e, e);
    }
  }

  /** A random password for a key store that lives as long as this process. */
  public static char[] randomPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
  }

  @Override
  public String toString() {
    // Never print the key.
    return "TlsIdentity[" + certificate().getSubjectX500Principal().getName() + "]";
  }

  private static List<X509Certificate> readChain(Path file, String option, String keyOption) {
    String what = option + " " + file;
    String fix =
        ": pass the server's certificate chain in PEM form (a file with -----BEGIN CERTIFICATE-----"
            + " blocks, the server's own first, e.g. fullchain.pem from Let's Encrypt).";
    List<X509Certificate> chain = new ArrayList<>();
    boolean sawKey = false;
    Reader reader = open(file, option, fix);
    try (PEMParser parser = new PEMParser(reader)) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          chain.add(converter.getCertificate(holder));
        } else if (isKey(item)) {
          sawKey = true;
        }
      }
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new TlsFileException(
          what + " is not a readable PEM certificate (" + e.getMessage() + ")" + fix, e);
    }
    if (chain.isEmpty()) {
      if (sawKey) {
        throw new TlsFileException(
            what
                + " holds a private key, not a certificate: pass it to "
                + keyOption
                + " and the certificate to "
                + option
                + ".");
      }
      throw new TlsFileException(what + " holds no certificate" + fix);
    }
    return chain;
  }

  private static PrivateKey readKey(Path file, String option, String certOption) {
    String what = option + " " + file;
    String fix =
        ": pass the certificate's private key in PEM form (-----BEGIN PRIVATE KEY-----, or BEGIN"
            + " RSA/EC PRIVATE KEY).";
    Object item;
    Reader reader = open(file, option, fix);
    try (PEMParser parser = new PEMParser(reader)) {
      item = parser.readObject();
      while (item != null && !isKey(item) && !(item instanceof X509CertificateHolder)) {
        item = parser.readObject(); // skip EC parameters and the like
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new TlsFileException(
          what + " is not a readable PEM key (" + e.getMessage() + ")" + fix, e);
    }
    if (item == null) {
      throw new TlsFileException(what + " holds no private key" + fix);
    }
    if (item instanceof X509CertificateHolder) {
      throw new TlsFileException(
          what
              + " holds a certificate, not a private key: pass the certificate to "
              + certOption
              + " and its key to "
              + option
              + ".");
    }
    if (item instanceof PKCS8EncryptedPrivateKeyInfo || item instanceof PEMEncryptedKeyPair) {
      throw new TlsFileException(
          what
              + " is encrypted with a passphrase: the server starts unattended, so pass an"
              + " unencrypted copy readable only by the service user, made with `openssl pkey -in"
              + " "
              + file
              + " -out server.key && chmod 600 server.key`.");
    }
    try {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (item instanceof PEMKeyPair pair) {
        // An EC key written without its public half has none to convert: take the private part.
        return pair.getPublicKeyInfo() == null
            ? converter.getPrivateKey(pair.getPrivateKeyInfo())
            : converter.getKeyPair(pair).getPrivate();
      }
      return converter.getPrivateKey((PrivateKeyInfo) item);
    } catch (IOException e) {
      throw new TlsFileException(
          what + " holds a key of a kind Java cannot use (" + e.getMessage() + ")" + fix, e);
    }
  }

  private static boolean isKey(Object item) {
    return item instanceof PrivateKeyInfo
        || item instanceof PEMKeyPair
        || item instanceof PKCS8EncryptedPrivateKeyInfo
        || item instanceof PEMEncryptedKeyPair;
  }

  private static Reader open(Path file, String option, String fix) {
    try {
      return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new TlsFileException(option + " " + file + " does not exist" + fix, e);
    } catch (AccessDeniedException e) {
      throw new TlsFileException(
          option
              + " "
              + file
              + " cannot be read by this user: give the service user read access (chmod 640 and"
              + " the service's group), or pass a copy it can read.",
          e);
    } catch (IOException e) {
      throw new TlsFileException(option + " " + file + " cannot be read (" + e + ")" + fix, e);
    }
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC", "ECDSA" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a key of another kind than the certificate's
    }
  }
}

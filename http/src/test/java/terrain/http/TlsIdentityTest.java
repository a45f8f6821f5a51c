// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.testkit.TestCa;

class TlsIdentityTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();

  @Test
  void load_readsTheChainAndAPkcs8Key_andGivesThePin() throws Exception {
    TestCa.Issued issued = ca.issue("localhost");
    TestCa.PemFiles pem = issued.write(dir, "server");

    TlsIdentity identity = load(pem.certificate(), pem.key());

    assertEquals(2, identity.chain().size(), "the server's certificate, then the CA");
    assertEquals(issued.certificate(), identity.certificate());
    assertEquals(issued.sha256(), identity.sha256());
    assertTrue(identity.sha256().matches("[0-9a-f]{64}"));
    KeyStore store = identity.keyStore("JKS", "pw".toCharArray());
    assertTrue(store.isKeyEntry("terrain"));
  }

  @Test
  void load_readsATraditionalEcKey() {
    TestCa.Issued issued = ca.issue("localhost");
    TestCa.PemFiles pem = issued.write(dir, "server");
    Path traditional = issued.writeTraditionalKey(dir, "traditional");
    assertTrue(readString(traditional).contains("BEGIN EC PRIVATE KEY"));

    assertEquals(issued.sha256(), load(pem.certificate(), traditional).sha256());
  }

  @Test
  void load_whenAFileIsMissing_namesTheOption() {
    TestCa.PemFiles pem = ca.issue("localhost").write(dir, "server");

    TlsFileException cert =
        assertThrows(TlsFileException.class, () -> load(dir.resolve("none.crt"), pem.key()));
    TlsFileException key =
        assertThrows(
            TlsFileException.class, () -> load(pem.certificate(), dir.resolve("none.key")));

    assertTrue(
        cert.getMessage().startsWith("--tls-cert " + dir.resolve("none.crt") + " does not exist"),
        cert.getMessage());
    assertTrue(cert.getMessage().contains("BEGIN CERTIFICATE"), cert.getMessage());
    assertTrue(
        key.getMessage().startsWith("--tls-key " + dir.resolve("none.key") + " does not exist"),
        key.getMessage());
  }

  @Test
  void load_whenNotPem_saysWhatToPass() throws Exception {
    TestCa.PemFiles pem = ca.issue("localhost").write(dir, "server");
    Path junk = Files.writeString(dir.resolve("junk.txt"), "hello, not a certificate\n");

    TlsFileException cert = assertThrows(TlsFileException.class, () -> load(junk, pem.key()));
    TlsFileException key =
        assertThrows(TlsFileException.class, () -> load(pem.certificate(), junk));

    assertTrue(
        cert.getMessage().contains("--tls-cert " + junk + " holds no certificate"),
        cert.getMessage());
    assertTrue(
        key.getMessage().contains("--tls-key " + junk + " holds no private key"), key.getMessage());
    assertTrue(key.getMessage().contains("BEGIN PRIVATE KEY"), key.getMessage());
  }

  @Test
  void load_whenTheFilesAreSwapped_saysSo() {
    TestCa.PemFiles pem = ca.issue("localhost").write(dir, "server");

    TlsFileException e =
        assertThrows(TlsFileException.class, () -> load(pem.key(), pem.certificate()));

    assertTrue(
        e.getMessage().contains("holds a private key, not a certificate: pass it to --tls-key"),
        e.getMessage());
  }

  @Test
  void load_whenTheKeyIsAnotherCertificates_saysTheyDoNotMatch() {
    TestCa.PemFiles first = ca.issue("localhost").write(dir, "first");
    TestCa.PemFiles second = ca.issue("localhost").write(dir, "second");

    TlsFileException e =
        assertThrows(TlsFileException.class, () -> load(first.certificate(), second.key()));

    assertTrue(
        e.getMessage()
            .startsWith(
                "--tls-key "
                    + second.key()
                    + " is not the private key of the certificate in --tls-cert "
                    + first.certificate()),
        e.getMessage());
  }

  @Test
  void load_whenTheKeyIsEncrypted_saysHowToDecryptIt() throws Exception {
    TestCa.PemFiles pem = ca.issue("localhost").write(dir, "server");
    Path encrypted =
        Files.writeString(
            dir.resolve("encrypted.key"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                + "MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhwS3e0yJ1fAgICCAAw\n"
                + "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEOq3mVb1g1kz0HbQd3x0xVkEgZCi\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n");

    TlsFileException e =
        assertThrows(TlsFileException.class, () -> load(pem.certificate(), encrypted));

    assertTrue(e.getMessage().startsWith("--tls-key " + encrypted), e.getMessage());
  }

  private static TlsIdentity load(Path cert, Path key) {
    return TlsIdentity.load(cert, key, "--tls-cert", "--tls-key");
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

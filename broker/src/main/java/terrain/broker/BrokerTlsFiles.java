// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * The key store HiveMQ's TLS listener reads: HiveMQ CE takes only a key store file path (type JKS),
 * so the broker's key is written at each start into its own {@code conf/} folder, readable by the
 * owner only, under a random password that lives as long as the process; the broker deletes it when
 * it stops.
 */
final class BrokerTlsFiles {
  static final String KEY_STORE = "terrain-tls.jks";

  /** A written key store and its password. */
  record KeyStoreFile(Path path, String password) {
    @Override
    public String toString() {
      return "KeyStoreFile[" + path + "]"; // never the password
    }
  }

  private BrokerTlsFiles() {}

  static KeyStoreFile write(BrokerSettings.Tls tls, Path confDir) throws IOException {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    // Base64url: nothing to escape in XML.
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      KeyStore store = KeyStore.getInstance("JKS");
      store.load(null, null);
      store.setKeyEntry(
          "terrain",
          tls.privateKey(),
          password.toCharArray(),
          tls.chain().toArray(X509Certificate[]::new));
      store.store(bytes, password.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot build the broker's TLS key store: " + e.getMessage(), e);
    }
    Path file = confDir.resolve(KEY_STORE);
    writeOwnerOnly(file, bytes.toByteArray());
    return new KeyStoreFile(file, password);
  }

  /** Writes {@code file} afresh, readable and writable by the owner only where POSIX allows. */
  static void writeOwnerOnly(Path file, byte[] content) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not POSIX (Windows): the folder's access rules apply
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " appeared while being written: is another broker using it?", e);
    }
    Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // The next start overwrites it; its password died with this process.
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.enrolment;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A device's trust folder, {@code DATA/trust/}: the signed bundle of its enrolment ({@code
 * bundle}), its Ed25519 private key ({@code device-ed25519.pk8}) and its MQTT secret ({@code
 * mqtt.secret}), plus what each program derives from them. Every file is written owner-only
 * (rw-------) to a temporary file first and then moved into place atomically, so a power cut leaves
 * either the old file or the new one.
 */
public final class TrustFiles {
  /** The folder inside the data folder. */
  public static final String FOLDER = "trust";

  /** The signed bundle's text, as the server sent it. Its presence means "enrolled". */
  public static final String BUNDLE = "bundle";

  /** The device's Ed25519 private key, PKCS#8. */
  public static final String KEY = "device-ed25519.pk8";

  /** The device's MQTT secret. */
  public static final String SECRET = "mqtt.secret";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER =
      PosixFilePermissions.fromString("rwx------");

  private final Path folder;

  public TrustFiles(Path dataDir) {
    this.folder = dataDir.resolve(FOLDER);
  }

  /** {@code DATA/trust}. */
  public Path folder() {
    return folder;
  }

  /** {@code DATA/trust/NAME}. */
  public Path file(String name) {
    return folder.resolve(name);
  }

  /** Whether this data folder holds an enrolment (a bundle). */
  public boolean enrolled() {
    return Files.isRegularFile(file(BUNDLE));
  }

  public byte[] read(String name) throws IOException {
    return Files.readAllBytes(file(name));
  }

  /** Writes {@code name} owner-only, atomically; creates the folder (owner-only) if needed. */
  public void write(String name, byte[] content) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(folder)) {
      Files.createDirectories(folder);
      if (posix) {
        Files.setPosixFilePermissions(folder, OWNER_ONLY_FOLDER);
      }
    }
    Path temp =
        posix
            ? Files.createTempFile(
                folder, "." + name + "-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(folder, "." + name + "-", ".tmp");
    try {
      Files.write(temp, content);
      try {
        Files.move(
            temp, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file(name), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Removes {@code name} if it exists. */
  public void delete(String name) throws IOException {
    Files.deleteIfExists(file(name));
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.trust;

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
 * The files of {@code DATA/trust/}: what the device keeps of its enrolment. The private key and the
 * MQTT secret are readable by the service user only; every file is written to a temporary file
 * first and moved into place atomically, so a power cut leaves the old file or the new one.
 */
public final class TrustFiles {
  /** The folder inside the data folder. */
  public static final String FOLDER = "trust";

  /** The signed bundle's text, as the server sent it. */
  public static final String BUNDLE = "bundle";

  /** The device's Ed25519 private key, PKCS#8. */
  public static final String PRIVATE_KEY = "device-ed25519.pk8";

  /** The device's MQTT secret. */
  public static final String MQTT_SECRET = "mqtt.secret";

  /** The event file of the bundle, for the event loader. */
  public static final String EVENT = "event.yaml";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private TrustFiles() {}

  /** {@code DATA/trust}. */
  public static Path folder(Path data) {
    return data.resolve(FOLDER);
  }

  /** Writes {@code bytes} to {@code DATA/trust/NAME}, readable and writable by the owner only. */
  public static void writeOwnerOnly(Path data, String name, byte[] bytes) throws IOException {
    Path folder = folder(data);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (Files.notExists(folder)) {
      Files.createDirectories(folder);
      if (posix) {
        Files.setPosixFilePermissions(folder, OWNER_ONLY_DIR);
      }
    }
    Path temp = Files.createTempFile(folder, "." + name, ".tmp");
    try {
      if (posix) {
        Files.setPosixFilePermissions(temp, OWNER_ONLY);
      }
      Files.write(temp, bytes);
      try {
        Files.move(
            temp,
            folder.resolve(name),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}

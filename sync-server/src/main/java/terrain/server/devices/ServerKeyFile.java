// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.ticket.DeviceKeys;

/**
 * The server's Ed25519 signing key, {@code DATA/keys/server-ed25519.pk8} (PKCS#8), readable by the
 * server's user only: made at the first start, read at every later one. Every bundle the server
 * signs names its public key, and devices keep it from their enrolment on.
 */
public final class ServerKeyFile {
  private static final Logger log = LoggerFactory.getLogger(ServerKeyFile.class);

  /** The key's file, under the data folder. */
  public static final String FILE = "keys/server-ed25519.pk8";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** Why the key cannot be used; the message says what to do. */
  public static final class KeyFileException extends Exception {
    private static final long serialVersionUID = 1L;

    KeyFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private ServerKeyFile() {}

  /** The path of the key under {@code dataDir}. */
  public static Path path(Path dataDir) {
    return dataDir.resolve(FILE);
  }

  /** Reads the key, or makes it (owner-only) when there is none yet. */
  public static DeviceKeys loadOrCreate(Path dataDir, SecureRandom random) throws KeyFileException {
    Path file = path(dataDir);
    if (Files.exists(file)) {
      return read(file);
    }
    DeviceKeys keys = DeviceKeys.generate(random);
    try {
      Files.createDirectories(file.getParent(), ownerOnlyFolder(file.getParent()));
      if (posix(file.getParent())) {
        Files.write(
            file, keys.privateKeyPkcs8(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      } else {
        Files.write(file, keys.privateKeyPkcs8(), StandardOpenOption.CREATE_NEW);
      }
    } catch (FileAlreadyExistsException e) {
      return read(file); // another start made it meanwhile
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot write the server's signing key "
              + file
              + " ("
              + e.getMessage()
              + "): give the server's user write access to "
              + dataDir
              + ", or pass another --data folder",
          e);
    }
    log.info("Made the server's signing key {} (public key {})", file, keys.publicKeyText());
    return keys;
  }

  private static DeviceKeys read(Path file) throws KeyFileException {
    try {
      if (posix(file)) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
          throw new KeyFileException(
              "the server's signing key "
                  + file
                  + " can be read by other users ("
                  + PosixFilePermissions.toString(permissions)
                  + "): run `chmod 600 "
                  + file
                  + "` (and make a new key by moving it away if someone else may have copied it;"
                  + " every device must then be enrolled again)",
              null);
        }
      }
      return DeviceKeys.fromPkcs8(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot read the server's signing key "
              + file
              + " ("
              + e
              + "): start the server as the user that owns it (it must be readable by that user"
              + " only), or fix its owner with chown",
          e);
    } catch (InvalidKeyException e) {
      throw new KeyFileException(
          "the server's signing key "
              + file
              + " is not an Ed25519 key in PKCS#8 form: restore it from a backup, or move it away"
              + " to make a new one at the next start (every device must then be enrolled again)",
          e);
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] ownerOnlyFolder(Path folder) {
    if (!posix(folder)) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
    };
  }
}

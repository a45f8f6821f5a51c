// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The SHA-256 of every file in the migration folders a database opens with, named by its path, and
 * of the placeholders: the same whenever the same migrations would run (decision 0073). Read from
 * folders on disk (a build's classes) and from jars (an installed package); anything else, or any
 * file that cannot be read, gives none, and the database is then always migrated by Flyway.
 */
final class MigrationFingerprint {
  private static final String CLASSPATH = "classpath:";

  private MigrationFingerprint() {}

  /**
   * @param locations Flyway locations, each {@code classpath:folder}
   */
  static Optional<String> of(
      ClassLoader loader, List<String> locations, Map<String, String> placeholders) {
    SortedMap<String, byte[]> files = new TreeMap<>();
    try {
      for (String location : locations) {
        if (!location.startsWith(CLASSPATH)) {
          return Optional.empty();
        }
        String folder = location.substring(CLASSPATH.length()).replaceAll("^/+|/+$", "");
        Enumeration<URL> roots = loader.getResources(folder);
        while (roots.hasMoreElements()) {
          if (!read(roots.nextElement(), folder, files)) {
            return Optional.empty();
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every Java runtime", e);
    }
    files.forEach(
        (name, bytes) -> {
          entry(sha, name.getBytes(StandardCharsets.UTF_8));
          entry(sha, bytes);
        });
    new TreeMap<>(placeholders)
        .forEach(
            (key, value) -> {
              entry(sha, key.getBytes(StandardCharsets.UTF_8));
              entry(sha, value.getBytes(StandardCharsets.UTF_8));
            });
    return Optional.of(HexFormat.of().formatHex(sha.digest()));
  }

  /** Each part with its length first, so that no two lists of parts hash alike. */
  private static void entry(MessageDigest sha, byte[] bytes) {
    sha.update(
        new byte[] {
          (byte) (bytes.length >>> 24),
          (byte) (bytes.length >>> 16),
          (byte) (bytes.length >>> 8),
          (byte) bytes.length
        });
    sha.update(bytes);
  }

  /**
   * Adds the files directly in {@code root}; false when it is neither a folder nor in a jar, or
   * holds a file already read from another root.
   */
  private static boolean read(URL root, String folder, SortedMap<String, byte[]> files)
      throws IOException, URISyntaxException {
    switch (root.getProtocol()) {
      case "file" -> {
        try (Stream<Path> list = Files.list(Path.of(root.toURI()))) {
          for (Path file : list.filter(Files::isRegularFile).toList()) {
            if (files.put(folder + "/" + file.getFileName(), Files.readAllBytes(file)) != null) {
              return false; // the same file twice on the classpath: Flyway decides
            }
          }
        }
        return true;
      }
      case "jar" -> {
        URLConnection connection = root.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
          return false;
        }
        // A jar of our own, closed here: the class loader's shared copy stays open.
        jarConnection.setUseCaches(false);
        try (JarFile jar = jarConnection.getJarFile()) {
          String prefix = folder + "/";
          for (JarEntry entry : java.util.Collections.list(jar.entries())) {
            String name = entry.getName();
            if (!entry.isDirectory()
                && name.startsWith(prefix)
                && name.indexOf('/', prefix.length()) < 0) {
              try (InputStream in = jar.getInputStream(entry)) {
                if (files.put(name, in.readAllBytes()) != null) {
                  return false; // the same file twice on the classpath: Flyway decides
                }
              }
            }
          }
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * Copies of one Derby database with the server's tables, migrated once per JVM (then shut down),
 * for tests that need an empty migrated database. Migrating a fresh Derby database took 2 to 15 s
 * (a server's start in a test, a contract's test), most of those tests' time (decision 0021). The
 * server or the test opens its copy as usual: Flyway checks the copy's history and has nothing to
 * apply. That the migrations run on an empty database is still tested, by the template itself and
 * by the tests that start a server or {@code ServerMain} on a data folder of their own.
 */
public final class MigratedDerby {
  private static final String MIGRATIONS = "classpath:db/migration/server";

  private static Path template;

  private MigratedDerby() {}

  /**
   * Puts a copy of the migrated database in {@code dataDir/db}, where a server whose {@link
   * terrain.server.ServerConfig} names no database keeps it, unless a database is there already (a
   * server restarted on the same folder keeps its rows). Returns {@code dataDir}.
   */
  public static Path serverData(Path dataDir) {
    Path db = dataDir.resolve("db");
    if (!Files.exists(db)) {
      copy(template(), db);
    }
    return dataDir;
  }

  /** Copies the migrated database's files into the folder {@code db}, which must not exist. */
  public static void copyTo(Path db) {
    copy(template(), db);
  }

  private static synchronized Path template() {
    if (template == null) {
      try {
        Path folder = Files.createTempDirectory("terrain-server-db-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder)));
        Path db = folder.resolve("db");
        Database.open(Database.derbyUrl(db), MIGRATIONS).close(); // close shuts Derby's db down
        template = db;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (StoreException e) {
        throw new IllegalStateException("Could not migrate the test database template", e);
      }
    }
    return template;
  }

  /** Copies a shut-down Derby database's files, without its lock files. */
  private static void copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (!file.getFileName().toString().endsWith(".lck")) {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not copy the test database " + from + " to " + to, e);
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // a temporary folder left behind at exit
    }
  }
}

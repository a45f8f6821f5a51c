// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.RecordKind;

/**
 * Opening a database skips Flyway when the stored fingerprint of its migrations is the classpath's
 * (decision 0073), and runs it whenever anything would differ: a migration more, a file changed, no
 * fingerprint stored.
 */
class MigrationFingerprintTest {
  private static final String LATER = "classpath:db/migration/later";

  @TempDir Path dir;

  @Test
  void open_secondTime_skipsFlywayAndTheSchemaIsThere() throws Exception {
    String url = Database.derbyUrl(dir.resolve("db"));

    boolean first;
    try (Database created = Database.open(url)) {
      first = created.flywayRan();
    }
    try (Database reopened = Database.open(url);
        RecordStore store = new RecordStore(reopened)) {
      assertTrue(first, "a new database is migrated by Flyway");
      assertFalse(reopened.flywayRan(), "nothing to migrate: Flyway skipped");
      assertEquals(
          0, store.count(terrain.core.record.DeviceId.of("kiosk-1"), "ev", RecordKind.RESPONSE));
    }
  }

  @Test
  void open_withAMigrationMore_runsFlywayAndAppliesIt_thenSkipsIt() throws Exception {
    String url = Database.derbyUrl(dir.resolve("db"));
    Database.open(url).close();

    boolean upgraded;
    try (Database later = Database.open(url, LATER)) {
      upgraded = later.flywayRan();
      assertEquals(0, count(later, "SELECT COUNT(*) FROM later_series"), "V5000 applied");
    }
    try (Database again = Database.open(url, LATER)) {
      assertTrue(upgraded, "a migration more on the classpath: Flyway ran");
      assertFalse(again.flywayRan());
    }
  }

  @Test
  void open_withoutAStoredFingerprint_runsFlyway() throws Exception {
    String url = Database.derbyUrl(dir.resolve("db"));
    try (Database db = Database.open(url);
        Connection c = db.connectDedicated();
        Statement s = c.createStatement()) {
      assertEquals(1, count(db, "SELECT COUNT(*) FROM schema_fingerprint"));
      s.executeUpdate("DELETE FROM schema_fingerprint");
      c.commit();
    }

    try (Database reopened = Database.open(url)) {
      assertTrue(reopened.flywayRan());
      assertEquals(1, count(reopened, "SELECT COUNT(*) FROM schema_fingerprint"), "stored again");
    }
  }

  @Test
  void fingerprint_sameFilesInAFolderOrAJar_same_andAnyChangeChangesIt() throws Exception {
    Map<String, String> files =
        Map.of(
            "V1__one.sql", "CREATE TABLE one (id INT);\n",
            "V2__two.sql", "CREATE TABLE two (id ${binary});\n");
    Map<String, String> placeholders = Map.of("binary", "BYTEA");
    Optional<String> folder = fingerprint(folder("a", files), placeholders);
    Optional<String> jar = fingerprint(jar("b.jar", files), placeholders);
    Optional<String> changed =
        fingerprint(
            folder(
                "c",
                Map.of(
                    "V1__one.sql",
                    "CREATE TABLE one (id INT); \n",
                    "V2__two.sql",
                    files.get("V2__two.sql"))),
            placeholders);
    Optional<String> more =
        fingerprint(
            jar(
                "d.jar",
                Map.of(
                    "V1__one.sql",
                    files.get("V1__one.sql"),
                    "V2__two.sql",
                    files.get("V2__two.sql"),
                    "V3__three.sql",
                    "SELECT 1;\n")),
            placeholders);
    Optional<String> otherPlaceholder =
        fingerprint(folder("a", files), Map.of("binary", "VARCHAR(32672) FOR BIT DATA"));

    assertTrue(folder.isPresent() && folder.get().matches("[0-9a-f]{64}"), folder.toString());
    assertEquals(folder, jar, "the same files in a jar");
    assertNotEquals(folder, changed, "a byte changed");
    assertNotEquals(folder, more, "a migration more");
    assertNotEquals(folder, otherPlaceholder, "another dialect");
  }

  private Optional<String> fingerprint(Path root, Map<String, String> placeholders)
      throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
      return MigrationFingerprint.of(loader, List.of("classpath:db/migration/x"), placeholders);
    }
  }

  private Path folder(String name, Map<String, String> files) throws Exception {
    Path migrations = dir.resolve(name).resolve("db/migration/x");
    Files.createDirectories(migrations);
    for (Map.Entry<String, String> file : files.entrySet()) {
      Files.writeString(migrations.resolve(file.getKey()), file.getValue());
    }
    return dir.resolve(name);
  }

  private Path jar(String name, Map<String, String> files) throws Exception {
    Path jar = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out)) {
      zip.putNextEntry(new JarEntry("db/"));
      zip.putNextEntry(new JarEntry("db/migration/"));
      zip.putNextEntry(new JarEntry("db/migration/x/"));
      for (Map.Entry<String, String> file : files.entrySet()) {
        zip.putNextEntry(new JarEntry("db/migration/x/" + file.getKey()));
        zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return jar;
  }

  private static long count(Database db, String sql) throws Exception {
    try (Connection c = db.connectDedicated();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      long n = rs.getLong(1);
      c.rollback();
      return n;
    }
  }
}

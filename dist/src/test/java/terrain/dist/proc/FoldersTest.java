// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.proc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {
  @Test
  void emptyForThisRun_refusesAFolderAnotherProcessWorksIn_andTakesItOnceThatOneIsKilled(
      @TempDir Path root) throws Exception {
    Path data = root.resolve("bench-sync");
    Files.createDirectories(data.resolve("hub"));
    Files.writeString(data.resolve("hub").resolve("db.dat"), "the other run's database");
    Process other = OtherJvm.start(Holder.class, data.toString());
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
      assertTrue("claimed".equals(out.readLine()), "the other process did not claim the folder");
      Folders.InUseException refused =
          assertThrows(Folders.InUseException.class, () -> Folders.emptyForThisRun(data));
      assertTrue(refused.getMessage().contains("--data"), refused.getMessage());
      // Nothing of the other run's was deleted.
      assertTrue(Files.exists(data.resolve("hub").resolve("db.dat")));
    } finally {
      // As kill -9: the system releases the dead process's lock.
      other.destroyForcibly().waitFor();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(Folders.InUseException.class)
        .until(
            () -> {
              Folders.emptyForThisRun(data);
              return true;
            });
    assertFalse(Files.exists(data));
    // This process holds it now: a second run in the same process may empty it again.
    Files.createDirectories(data);
    Folders.emptyForThisRun(data);
    assertFalse(Files.exists(data));
    assertTrue(Files.exists(root.resolve("bench-sync.lock")));
  }

  /** Another bench: claims the folder named by its argument, says so, and waits to be killed. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      Folders.claim(Path.of(args[0]));
      System.out.println("claimed");
      System.out.flush();
      Thread.sleep(120_000);
    }
  }
}

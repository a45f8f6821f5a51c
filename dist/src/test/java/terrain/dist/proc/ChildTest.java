// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.proc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildTest {
  @Test
  void aParentStoppedWithSigterm_stopsItsChildrenAndTheirOwnChildren(@TempDir Path dir)
      throws Exception {
    Process parent = OtherJvm.start(Parent.class, dir.resolve("child.log").toString());
    long child;
    long grandchild;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      // The shell's line comes through the parent's echo, before or after the parent's own.
      long[] pids = {-1, -1};
      for (int i = 0; i < 2; i++) {
        String line = out.readLine();
        assertTrue(line != null, "the parent ended early");
        if (line.startsWith("child ")) {
          pids[0] = Long.parseLong(line.substring("child ".length()).trim());
        } else if (line.startsWith("[sh] ")) {
          pids[1] = Long.parseLong(line.substring("[sh] ".length()).trim());
        } else {
          throw new AssertionError("the parent said: " + line);
        }
      }
      child = pids[0];
      grandchild = pids[1];
      assertTrue(alive(child) && alive(grandchild), "the children should be running");
      // As `pkill` or systemd would stop a bench.
      parent.destroy();
      assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "the parent did not stop");
    } finally {
      parent.destroyForcibly();
    }
    try {
      await().atMost(Duration.ofSeconds(15)).until(() -> !alive(child) && !alive(grandchild));
    } finally {
      // A failed run leaves no sleep behind.
      ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
      ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * A bench: starts a shell that starts a sleep of its own and waits on it, says both process ids,
   * and waits to be stopped.
   */
  public static final class Parent {
    public static void main(String[] args) throws Exception {
      Child sh =
          Child.startProgram(
              "sh",
              List.of("sh", "-c", "sleep 300 & echo $!; wait"),
              Path.of(args[0]),
              System.out,
              Map.of());
      System.out.println("child " + sh.pid());
      System.out.flush();
      Thread.sleep(300_000);
    }
  }
}

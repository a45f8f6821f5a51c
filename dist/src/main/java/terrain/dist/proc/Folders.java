// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.proc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Scratch folders of the demo and the benchmarks. */
public final class Folders {
  /** The locks this process holds, by lock file: kept until it ends, when the system drops them. */
  private static final Map<Path, FileLock> HELD = new HashMap<>();

  private Folders() {}

  /** Another process works in a scratch folder this one was about to empty. */
  public static final class InUseException extends IOException {
    private static final long serialVersionUID = 1L;

    InUseException(String message) {
      super(message);
    }
  }

  /** Deletes a folder and everything in it; nothing happens if it does not exist. */
  public static void delete(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * Claims {@code folder} for this process, then empties it: what a bench does before it starts.
   * Two benches in one folder delete each other's databases under their children: the second would
   * fail after minutes, or spoil the first's figures.
   *
   * @throws InUseException another process claimed it and still runs
   */
  public static void emptyForThisRun(Path folder) throws IOException {
    claim(folder);
    delete(folder);
  }

  /**
   * Locks {@code FOLDER.lock} beside {@code folder} until this process ends (a process killed with
   * SIGKILL releases it too). Claiming a folder this process already holds does nothing.
   *
   * @throws InUseException another process holds it
   */
  public static void claim(Path folder) throws IOException {
    Path absolute = folder.toAbsolutePath().normalize();
    Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
    synchronized (HELD) {
      if (HELD.containsKey(lockFile)) {
        return;
      }
      Files.createDirectories(lockFile.getParent());
      FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      if (lock == null) {
        channel.close();
        throw new InUseException(
            "Another run is using "
                + folder
                + " (it holds "
                + lockFile
                + "). Wait for it to end, or give this run a folder of its own with --data.");
      }
      HELD.put(lockFile, lock);
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.panel;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How full the disk holding the hub's data folder is.
 *
 * @param usedPercent 0 to 100
 * @param freeBytes what the hub may still write
 */
public record Disk(int usedPercent, long freeBytes) {

  /** Above this the light turns red: the store could soon refuse records. */
  public static final int FULL_PERCENT = 90;

  public boolean nearlyFull() {
    return usedPercent > FULL_PERCENT;
  }

  /** The disk of {@code folder} (or of its nearest existing parent); empty if unreadable. */
  public static Optional<Disk> of(Path folder) {
    Path existing = folder;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return Optional.empty();
    }
    try {
      FileStore store = Files.getFileStore(existing);
      long total = store.getTotalSpace();
      long free = store.getUsableSpace();
      if (total <= 0) {
        return Optional.empty();
      }
      return Optional.of(new Disk((int) Math.round(100.0 * (total - free) / total), free));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

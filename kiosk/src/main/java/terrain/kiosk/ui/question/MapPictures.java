// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.question;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javafx.scene.image.Image;

/**
 * Decoded map pictures by file, read from disk once per kiosk: a map question is asked of every
 * resident, and a decoded 1200 × 800 map is 3.7 MB of heap. An event has a map or two. Kept out of
 * the views, which only show the picture they are given.
 */
public final class MapPictures {
  private final Map<Path, Image> pictures = new ConcurrentHashMap<>();

  /** The decoded picture of {@code file}; one that failed to load is tried again next time. */
  public Image picture(Path file) {
    return pictures.compute(
        file,
        (f, cached) ->
            cached != null && !cached.isError() ? cached : new Image(f.toUri().toString()));
  }
}

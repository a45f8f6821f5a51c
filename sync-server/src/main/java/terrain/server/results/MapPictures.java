// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import terrain.core.event.EventDefinition;
import terrain.core.event.MapSpec;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.core.id.EventId;

/**
 * The pictures of the events' map questions, served by the server under the pins of the results. An
 * event file given with {@code --event} names its pictures next to itself, so they are known; a
 * published event (its YAML only) names a picture by a path relative to its file, which is looked
 * for in the folders of the {@code --event} files. A picture must be a PNG or a JPEG and may not
 * leave its folder ({@code ..}). Reads the file at each request (a map of a few hundred kilobytes;
 * the results page asks once), its size once.
 */
public final class MapPictures {
  /** A picture's size in pixels, for the drawing's aspect ratio. */
  public record Size(int width, int height) {}

  /** A picture to send. */
  public record Picture(byte[] bytes, String contentType) {}

  private final EventCatalog catalog;
  private final List<Path> folders;
  private final Map<Path, Size> sizes = new ConcurrentHashMap<>();

  /**
   * @param eventFiles the {@code --event} files: their folders are where published events' pictures
   *     are looked for
   */
  public MapPictures(EventCatalog catalog, List<Path> eventFiles) {
    this.catalog = catalog;
    List<Path> found = new ArrayList<>();
    for (Path file : eventFiles) {
      Path parent = file.toAbsolutePath().normalize().getParent();
      if (parent != null && !found.contains(parent)) {
        found.add(parent);
      }
    }
    this.folders = List.copyOf(found);
  }

  /** The picture file of a map question, if the server has it. */
  public Optional<Path> file(String eventId, String questionId) {
    Optional<EventDefinition> definition = EventId.ifValid(eventId).flatMap(catalog::definition);
    if (definition.isEmpty()) {
      return Optional.empty();
    }
    for (Poll poll : definition.get().polls()) {
      for (Question question : poll.questions()) {
        if (question.id().equals(questionId) && question.map().isPresent()) {
          return resolve(question.map().get());
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Path> resolve(MapSpec map) {
    Path image = map.image();
    if (image.isAbsolute()) {
      return picture(image);
    }
    for (Path folder : folders) {
      try {
        Path candidate = folder.resolve(image).normalize();
        if (candidate.startsWith(folder)) {
          Optional<Path> found = picture(candidate);
          if (found.isPresent()) {
            return found;
          }
        }
      } catch (InvalidPathException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> picture(Path file) {
    return Files.isRegularFile(file) && type(file) != null ? Optional.of(file) : Optional.empty();
  }

  /** {@code image/png} or {@code image/jpeg} by the file's first bytes; null for anything else. */
  private static String type(Path file) {
    byte[] head = new byte[4];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      return null;
    }
    if (read == 4 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N') {
      return "image/png";
    }
    if (read >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8) {
      return "image/jpeg";
    }
    return null;
  }

  /** The picture's bytes and type, if the server has it. */
  public Optional<Picture> read(String eventId, String questionId) throws IOException {
    Optional<Path> file = file(eventId, questionId);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Picture(Files.readAllBytes(file.get()), type(file.get())));
  }

  /** The picture's size, read from its header once; empty when unknown or unreadable. */
  public Optional<Size> size(String eventId, String questionId) {
    return file(eventId, questionId).map(f -> sizes.computeIfAbsent(f, MapPictures::measure));
  }

  private static Size measure(Path file) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (readers.hasNext()) {
        ImageReader reader = readers.next();
        try {
          reader.setInput(in);
          return new Size(reader.getWidth(0), reader.getHeight(0));
        } finally {
          reader.dispose();
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: drawn square
    }
    return new Size(1000, 1000);
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import terrain.dist.proc.Child;

/** Starts Terrain commands as real processes for the multi-process tests. */
final class Apps implements AutoCloseable {
  static final Pattern HTTP_LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private final Path logs;
  private final List<Child> started = new ArrayList<>();

  Apps(Path logs) {
    this.logs = logs;
  }

  static Path root() {
    return Path.of(System.getProperty("terrain.root", "..")).toAbsolutePath().normalize();
  }

  static String classpath() {
    try {
      String classes = System.getProperty("terrain.classes", "target/classes");
      String file = System.getProperty("terrain.classpath.file", "target/launcher.classpath");
      return classes + java.io.File.pathSeparator + Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("Run the e2e tests through Maven (mvn verify)", e);
    }
  }

  Child start(String name, String... args) throws IOException {
    Child child =
        Child.start(
            name, classpath(), logs.resolve(name + ".log"), null, List.of("-Xmx512m"), args);
    started.add(child);
    return child;
  }

  static Matcher await(Child child, Pattern pattern, Duration timeout) throws InterruptedException {
    return child
        .awaitLine(pattern, timeout)
        .orElseThrow(
            () ->
                new AssertionError(
                    child.name()
                        + " did not print /"
                        + pattern
                        + "/ within "
                        + timeout
                        + "; last lines:\n"
                        + String.join("\n", tail(child.output(), 30))));
  }

  static List<String> tail(List<String> lines, int n) {
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  /** The Derby databases (folders holding a {@code service.properties}) under {@code folder}. */
  static List<Path> derbyDatabases(Path folder) throws IOException {
    try (var walk = Files.walk(folder)) {
      return walk.filter(p -> Files.exists(p.resolve("service.properties"))).sorted().toList();
    }
  }
}

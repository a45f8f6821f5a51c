// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A second JVM on the tests' classpath, running one class's {@code main}: another process. */
final class OtherJvm {
  private OtherJvm() {}

  /** Starts {@code main} with {@code args}; its standard error goes with its standard output. */
  static Process start(Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}

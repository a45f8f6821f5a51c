// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The benches run the server and the hub with the JVM options they ship with (decision 0059), and
 * those options do what they say on this JDK: the compiler threads of a server JVM run at nice 10,
 * the application's threads do not.
 */
class ServiceJvmTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();

  @Test
  void childJvmOptions_serverAndHub_areTheShippedOnes_otherChildrenNone() {
    assertEquals(
        BenchMain.SERVER_JVM,
        BenchMain.childJvmOptions("server").subList(0, BenchMain.SERVER_JVM.size()));
    assertEquals(
        BenchMain.SERVER_JVM,
        BenchMain.childJvmOptions("server-2").subList(0, BenchMain.SERVER_JVM.size()));
    assertEquals(
        BenchMain.HUB_JVM, BenchMain.childJvmOptions("hub").subList(0, BenchMain.HUB_JVM.size()));
    assertEquals(List.of(), BenchMain.childJvmOptions("kiosks-afternoon"));
  }

  @Test
  void serverHeapBytes_isTheShippedMaximumHeap_soTheReferenceGetsTheServersPageCache() {
    // The environment of the test run may add to the server's options; without it, 512 MB.
    if (System.getenv("TERRAIN_BENCH_JVM_SERVER") == null) {
      assertEquals(512L << 20, BenchMain.serverHeapBytes());
    }
    assertEquals(512L << 20, BenchMain.heapBytes("512m"));
    assertEquals(2L << 30, BenchMain.heapBytes("2G"));
    assertEquals(64L << 10, BenchMain.heapBytes("64k"));
    assertEquals(1_048_576L, BenchMain.heapBytes("1048576"));
    assertEquals(-1L, BenchMain.heapBytes("lots"));
    assertEquals(-1L, BenchMain.heapBytes(""));
  }

  @Test
  void launchersAndEnvFiles_carryTheBenchesOptions() throws IOException {
    String server = String.join(" ", BenchMain.SERVER_JVM);
    String hub = String.join(" ", BenchMain.HUB_JVM);
    Path packaged = MODULE.resolve("src/dist");
    // Both launchers take the options from one sourced file (lib/launch.sh in a distribution).
    Path options = packaged.resolve("lib/launch.sh");
    String text = Files.readString(options, StandardCharsets.UTF_8);
    assertTrue(text.contains("TERRAIN_JAVA_OPTS=\"" + server + "\""), options + ": " + server);
    assertTrue(text.contains("TERRAIN_JAVA_OPTS=\"" + hub + "\""), options + ": " + hub);
    Map<Path, String> sources =
        Map.of(
            packaged.resolve("bin/terrain"), ". \"$LIB/launch.sh\"\nterrain_jvm_options \"$@\"",
            MODULE.resolve("../terrain"),
                ". \"$ROOT/dist/src/dist/lib/launch.sh\"\nterrain_jvm_options \"$@\"");
    for (Map.Entry<Path, String> launcher : sources.entrySet()) {
      String script = Files.readString(launcher.getKey(), StandardCharsets.UTF_8);
      assertTrue(script.contains(launcher.getValue()), launcher.getKey() + " sources launch.sh");
      assertTrue(!script.contains("TERRAIN_JAVA_OPTS=\""), launcher.getKey() + " sets no options");
    }
    assertTrue(
        Files.readString(packaged.resolve("conf/server.env"))
            .contains("\nTERRAIN_JAVA_OPTS=" + server + "\n"),
        "conf/server.env: " + server);
    assertTrue(
        Files.readString(packaged.resolve("conf/hub.env"))
            .contains("\nTERRAIN_JAVA_OPTS=" + hub + "\n"),
        "conf/hub.env: " + hub);
  }

  @Test
  void serverOptions_putTheCompilerThreadsAtNice10_notTheApplicationsThreads() throws Exception {
    // Both compiler threads: on a busy machine the C1 thread can come a moment after C2's.
    Map<String, Integer> nice =
        threadsOfAJvmWith(
            BenchMain.SERVER_JVM,
            n -> n.containsKey("C2 CompilerThre") && n.containsKey("C1 CompilerThre"));
    assertEquals(10, nice.get("C2 CompilerThre"), nice.toString());
    assertEquals(10, nice.get("C1 CompilerThre"), nice.toString());
    // The application's threads (here the main thread, named java, that sleeps) keep the default.
    assertEquals(0, nice.get("java"), nice.toString());
  }

  @Test
  void hubOptions_runTheQuickCompilerOnly() throws Exception {
    // A JVM makes its compiler threads (C2's first) before the common cleaner.
    Map<String, Integer> threads =
        threadsOfAJvmWith(BenchMain.HUB_JVM, n -> n.containsKey("Common-Cleaner"));
    assertTrue(threads.containsKey("C1 CompilerThre"), threads.toString());
    assertTrue(!threads.containsKey("C2 CompilerThre"), threads.toString());
  }

  /**
   * The threads (name and nice value) of a JVM started with {@code options} that sleeps, once
   * {@code ready} says they are there.
   */
  private static Map<String, Integer> threadsOfAJvmWith(
      List<String> options, java.util.function.Predicate<Map<String, Integer>> ready)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Idle.class.getName()));
    Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      return await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> niceByThread(java.pid()), ready::test);
    } finally {
      java.destroyForcibly().waitFor();
    }
  }

  /** Each thread's name and nice value, from /proc/PID/task/TID/stat. */
  private static Map<String, Integer> niceByThread(long pid) throws IOException {
    Map<String, Integer> out = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        Optional<String> stat = read(task.resolve("stat"));
        Optional<String> name = read(task.resolve("comm"));
        if (stat.isPresent() && name.isPresent()) {
          // After the name in parentheses: state is field 3 of stat(5), nice field 19.
          String[] fields = stat.get().substring(stat.get().lastIndexOf(')') + 2).split(" ");
          out.put(name.get().strip(), Integer.parseInt(fields[16]));
        }
      }
    }
    return out;
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      return Optional.empty(); // the thread ended
    }
  }

  /** A JVM that does nothing for a minute. */
  public static final class Idle {
    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(60_000);
    }
  }
}

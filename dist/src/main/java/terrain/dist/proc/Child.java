// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Terrain command running as a separate JVM ({@code java -cp ... terrain.dist.Terrain ARGS}), the
 * way an operator runs it: its output is kept, written to a log file and optionally echoed with a
 * prefix; it can be stopped (SIGTERM) or killed (SIGKILL, like a power cut).
 *
 * <p>A child does not outlive the JVM that started it: when that JVM ends (its work done, Ctrl-C or
 * SIGTERM), the children still running are stopped as {@link #stop} does, the last started first.
 * Only a SIGKILL of the parent leaves them running, since the parent then runs nothing.
 */
public final class Child implements AutoCloseable {
  /** How long each child still running at the parent's exit gets to stop. */
  static final Duration GRACE_AT_EXIT = Duration.ofSeconds(10);

  /** The children not yet ended, in the order they were started. */
  private static final Set<Process> RUNNING =
      java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Child::stopAllRunning, "stop-children"));
  }

  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final List<String> stdout = new ArrayList<>();
  private final Writer writer;
  private final Thread outPump;
  private final Thread errPump;

  private Child(String name, Process process, Path log, PrintStream echo) throws IOException {
    this.name = name;
    this.process = process;
    RUNNING.add(process);
    process.onExit().thenRun(() -> RUNNING.remove(process));
    this.writer =
        Files.newBufferedWriter(
            log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    this.outPump = pump(process.getInputStream(), true, echo);
    this.errPump = pump(process.getErrorStream(), false, echo);
  }

  private Thread pump(java.io.InputStream stream, boolean isStdout, PrintStream echo) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  synchronized (writer) {
                    writer.write(line);
                    writer.write('\n');
                    writer.flush();
                  }
                  if (echo != null) {
                    echo.println("[" + name + "] " + line);
                  }
                  synchronized (lines) {
                    lines.add(line);
                    if (isStdout) {
                      stdout.add(line);
                    }
                    lines.notifyAll();
                  }
                }
              } catch (IOException e) {
                // The process went away: its output ends here.
              }
              synchronized (lines) {
                lines.notifyAll();
              }
            },
            (isStdout ? "stdout-" : "stderr-") + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Starts {@code terrain.dist.Terrain} with the given arguments.
   *
   * @param classpath the classpath of the whole application
   * @param echo where to copy the output with a {@code [name]} prefix, or null
   */
  public static Child start(
      String name,
      String classpath,
      Path log,
      PrintStream echo,
      List<String> jvmOptions,
      String... args)
      throws IOException {
    return start(name, classpath, log, echo, jvmOptions, java.util.Map.of(), args);
  }

  /** {@link #start(String, String, Path, PrintStream, List, String...)} with extra environment. */
  public static Child start(
      String name,
      String classpath,
      Path log,
      PrintStream echo,
      List<String> jvmOptions,
      java.util.Map<String, String> environment,
      String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add("terrain.dist.Terrain");
    command.addAll(List.of(args));
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process = builder.start();
    return new Child(name, process, log, echo);
  }

  /**
   * Starts a program that is not a Java class, e.g. an unpacked distribution's {@code bin/terrain}
   * with its own environment, as an operator would run it.
   *
   * @param command the program and its arguments
   * @param environment variables set (or replaced) in the inherited environment
   */
  public static Child startProgram(
      String name,
      List<String> command,
      Path log,
      PrintStream echo,
      java.util.Map<String, String> environment)
      throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    return new Child(name, builder.start(), log, echo);
  }

  /**
   * Stops the children still running, the last started first (as the demo stops its own): SIGTERM
   * to each and to its own children, up to {@link #GRACE_AT_EXIT} for it to end, then SIGKILL to
   * what is left of it. Runs when this JVM ends.
   */
  static void stopAllRunning() {
    List<Process> running;
    synchronized (RUNNING) {
      running = new ArrayList<>(RUNNING);
    }
    java.util.Collections.reverse(running);
    for (Process process : running) {
      List<ProcessHandle> handles = new ArrayList<>();
      handles.add(process.toHandle());
      process.descendants().forEach(handles::add);
      handles.forEach(ProcessHandle::destroy);
      long deadline = System.nanoTime() + GRACE_AT_EXIT.toNanos();
      for (ProcessHandle handle : handles) {
        try {
          handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          // Killed below.
        }
      }
      handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for an output line matching {@code pattern}; empty if the time runs out or it exits. */
  public Optional<Matcher> awaitLine(Pattern pattern, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          Matcher m = pattern.matcher(lines.get(seen));
          if (m.find()) {
            return Optional.of(m);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !outPump.isAlive() && !errPump.isAlive())) {
          return Optional.empty();
        }
        lines.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
      }
    }
  }

  /** A copy of every line printed so far. */
  public List<String> output() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The last line the command printed on standard output (logs go to standard error). */
  public String lastLine() {
    synchronized (lines) {
      return stdout.isEmpty() ? "" : stdout.get(stdout.size() - 1);
    }
  }

  /** SIGKILL: the process gets no chance to clean up, like a pulled plug. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    joinPumps();
  }

  /** SIGTERM and wait, as Ctrl-C or systemd would; SIGKILL if it does not stop in time. */
  public int stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    joinPumps();
    return process.exitValue();
  }

  /** Waits for the process to exit by itself; -1 if it is still running after the timeout. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return -1;
    }
    joinPumps();
    return process.exitValue();
  }

  private void joinPumps() throws InterruptedException {
    outPump.join(5_000);
    errPump.join(5_000);
    synchronized (writer) {
      try {
        writer.close();
      } catch (IOException ignored) {
        // The log file is only a copy of the output.
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(10));
    }
  }
}

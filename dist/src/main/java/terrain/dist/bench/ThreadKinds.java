// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import terrain.transport.ThreadTimes;

/**
 * A process's processor time by kind of thread: the kernel's thread names with their numbers
 * dropped ({@code http-39} and {@code http-40} are {@code http}, {@code GC Thread#1} is {@code GC
 * Thread}, the ingest's {@code ingest-ba64391a} is {@code ingest}), so that two readings can be
 * compared although threads come and go. Decision 0061: what found the hub's compiler taking a core
 * from the server during a drain.
 */
final class ThreadKinds {
  private static final Pattern NUMBERED = Pattern.compile("(#\\d+|-[0-9a-f]+)$");

  private ThreadKinds() {}

  /** The kind of a thread named {@code name}. */
  static String kind(String name) {
    String kind = NUMBERED.matcher(name).replaceFirst("");
    return kind.isEmpty() ? name : kind;
  }

  /** Seconds on a core so far by kind, of process {@code pid}; empty where not measured. */
  static Map<String, Double> seconds(long pid) {
    Map<String, Double> out = new HashMap<>();
    for (ThreadTimes.Named thread : ThreadTimes.ofProcess(pid)) {
      out.merge(kind(thread.name()), thread.times().cpuNanos() / 1e9, Double::sum);
    }
    return out;
  }

  /** Adds {@code more} into {@code into}. */
  static void add(Map<String, Double> into, Map<String, Double> more) {
    more.forEach((kind, seconds) -> into.merge(kind, seconds, Double::sum));
  }

  /**
   * From {@code before} to {@code after}, by kind. Threads that ended in between are not in {@code
   * after}: their kind counts only what its living threads added, never less than 0.
   */
  static Map<String, Double> since(Map<String, Double> after, Map<String, Double> before) {
    Map<String, Double> out = new HashMap<>();
    after.forEach(
        (kind, seconds) -> out.put(kind, Math.max(0, seconds - before.getOrDefault(kind, 0.0))));
    return out;
  }

  /** The {@code n} kinds with the most time, as {@code "ingest 8.29 s, C2 CompilerThre 5.31 s"}. */
  static String top(Map<String, Double> seconds, int n) {
    return seconds.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .limit(n)
        .map(e -> String.format("%s %.2f s", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  /** The JIT compilers' seconds (HotSpot's {@code C1 CompilerThre} and {@code C2 CompilerThre}). */
  static double compilers(Map<String, Double> seconds) {
    return seconds.entrySet().stream()
        .filter(e -> e.getKey().contains("CompilerThre"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }
}

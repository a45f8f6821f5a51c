// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadKindsTest {
  @Test
  void kind_dropsTheNumbersThreadsOfOneKindDifferIn() {
    assertEquals("http", ThreadKinds.kind("http-39"));
    assertEquals("hub-http", ThreadKinds.kind("hub-http-93"));
    assertEquals("GC Thread", ThreadKinds.kind("GC Thread#1"));
    assertEquals("ingest", ThreadKinds.kind("ingest-ba64391a"));
    assertEquals("C2 CompilerThre", ThreadKinds.kind("C2 CompilerThre"));
    assertEquals("hub-uplink", ThreadKinds.kind("hub-uplink"));
    assertEquals("MQTT Call: inge", ThreadKinds.kind("MQTT Call: inge"));
    assertEquals("#1", ThreadKinds.kind("#1"));
  }

  @Test
  void since_subtractsByKind_andNeverGoesBelowZeroWhenAThreadEnded() {
    Map<String, Double> before = Map.of("ingest", 1.0, "http", 2.0);
    Map<String, Double> after = Map.of("ingest", 4.5, "http", 1.5, "C2 CompilerThre", 3.0);
    Map<String, Double> drain = ThreadKinds.since(after, before);
    assertEquals(3.5, drain.get("ingest"), 1e-9);
    assertEquals(0.0, drain.get("http"), 1e-9);
    assertEquals(3.0, drain.get("C2 CompilerThre"), 1e-9);
    assertEquals("ingest 3.50 s, C2 CompilerThre 3.00 s", ThreadKinds.top(drain, 2));
  }

  @Test
  void compilers_addsC1AndC2Only() {
    Map<String, Double> seconds = new HashMap<>();
    ThreadKinds.add(seconds, Map.of("C1 CompilerThre", 1.0, "C2 CompilerThre", 2.0, "ingest", 5.0));
    ThreadKinds.add(seconds, Map.of("C2 CompilerThre", 0.5));
    assertEquals(3.5, ThreadKinds.compilers(seconds), 1e-9);
  }

  @Test
  void seconds_ofThisJvm_namesItsCompilerAndItsOwnThreads() {
    Map<String, Double> seconds = ThreadKinds.seconds(ProcessHandle.current().pid());
    // This JVM has compiled the test's code by now, and this thread has run it.
    assertTrue(ThreadKinds.compilers(seconds) > 0, seconds.toString());
    assertTrue(seconds.values().stream().allMatch(s -> s >= 0), seconds.toString());
    assertTrue(ThreadKinds.seconds(Long.MAX_VALUE).isEmpty());
  }
}

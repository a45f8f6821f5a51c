// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The modules and their arrows as the poms declare them (run-time dependencies between Terrain
 * modules; test-scope ones left out), the root package of each, and the picture of them that
 * docs/architecture.md carries.
 */
final class ModuleGraph {
  /** Module folder → root package of its main classes; testkit and e2e hold tests only. */
  static final Map<String, String> PACKAGES = new LinkedHashMap<>();

  static {
    PACKAGES.put("core", "terrain.core");
    PACKAGES.put("store", "terrain.store");
    PACKAGES.put("transport", "terrain.transport");
    PACKAGES.put("broker", "terrain.broker");
    PACKAGES.put("http", "terrain.http");
    PACKAGES.put("hardware", "terrain.hardware");
    PACKAGES.put("enrolment", "terrain.enrolment");
    PACKAGES.put("kiosk", "terrain.kiosk");
    PACKAGES.put("field-hub", "terrain.hub");
    PACKAGES.put("sync-server", "terrain.server");
    PACKAGES.put("provisioning", "terrain.provisioning");
    PACKAGES.put("dist", "terrain.dist");
  }

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern TERRAIN_ARTIFACT =
      Pattern.compile(
          "<groupId>fr\\.terrain</groupId>\\s*<artifactId>terrain-([a-z-]+)</artifactId>");
  private static final Pattern EDGE = Pattern.compile("^\\s*([a-z-]+)\\s*-->\\s*([a-z-]+)\\s*$");

  private ModuleGraph() {}

  /** The project's root folder (where the parent pom.xml is). */
  static Path root() {
    String property = System.getProperty("terrain.root");
    Path start = property != null ? Path.of(property) : Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("core"))) {
        return p;
      }
    }
    throw new AssertionError("no Terrain root above " + start);
  }

  /** Module → the Terrain modules it depends on at run time, from each module's pom.xml. */
  static Map<String, Set<String>> fromPoms(Path root) throws IOException {
    Map<String, Set<String>> edges = new TreeMap<>();
    Matcher modules = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
    while (modules.find()) {
      String module = modules.group(1).trim();
      if (!PACKAGES.containsKey(module)) {
        continue; // testkit, e2e: tests only
      }
      Set<String> targets = new TreeSet<>();
      Matcher deps = DEPENDENCY.matcher(Files.readString(root.resolve(module).resolve("pom.xml")));
      while (deps.find()) {
        String dep = deps.group(1);
        Matcher artifact = TERRAIN_ARTIFACT.matcher(dep);
        if (artifact.find() && !dep.contains("<scope>test</scope>")) {
          targets.add(artifact.group(1)); // artifacts are terrain-<folder>
        }
      }
      edges.put(module, targets);
    }
    return edges;
  }

  /** The arrows of the Mermaid picture between the markers in docs/architecture.md. */
  static Map<String, Set<String>> fromPicture(Path architectureMd) throws IOException {
    String text = Files.readString(architectureMd);
    int start = text.indexOf("```mermaid");
    int end = text.indexOf("```", start + 10);
    if (start < 0 || end < 0) {
      throw new AssertionError(architectureMd + " has no ```mermaid picture of the modules");
    }
    Map<String, Set<String>> edges = new TreeMap<>();
    for (String line : text.substring(start + 10, end).split("\n")) {
      Matcher edge = EDGE.matcher(line);
      if (edge.matches()) {
        edges.computeIfAbsent(edge.group(1), k -> new TreeSet<>()).add(edge.group(2));
      }
    }
    return edges;
  }

  /** Every module that reaches {@code module} through one or more arrows. */
  static Set<String> dependents(Map<String, Set<String>> edges, String module) {
    Set<String> out = new TreeSet<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<String, Set<String>> e : edges.entrySet()) {
        if (!out.contains(e.getKey())
            && (e.getValue().contains(module) || e.getValue().stream().anyMatch(out::contains))) {
          grew = out.add(e.getKey());
        }
      }
    }
    return out;
  }

  /** The Mermaid text of the picture, as docs/modules.sh prints it. */
  static String mermaid(Map<String, Set<String>> edges) {
    StringBuilder out = new StringBuilder("graph BT\n");
    edges.forEach(
        (from, tos) ->
            tos.forEach(
                to -> out.append("  ").append(from).append(" --> ").append(to).append('\n')));
    return out.toString();
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventLoader;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;

/**
 * The distribution as ops staff get it: {@code terrain-VERSION.tar.gz} unpacked with {@code tar}
 * into an empty folder and run with an empty HOME and no Maven, and the {@code .deb} read with
 * {@code dpkg-deb} and its units checked by {@code systemd-analyze} where those exist. Runs after
 * {@code mvn package} (failsafe, in {@code verify}).
 */
class DistributionIT {
  private static final Pattern HTTP_LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  private static final Duration START = Duration.ofSeconds(90);
  private static final int KIOSKS = 2;
  private static final int RESPONSES = 40;

  @TempDir static Path dir;
  private static Path home;
  private static Path fakeBin;
  private static Path mavenRan;
  private final Json json = new Json();

  /** Unpacks the tarball once with the system's tar, as an operator would. */
  @BeforeAll
  static void unpack() throws Exception {
    Path tarball = Path.of(System.getProperty("terrain.dist.tarball"));
    assertTrue(Files.isRegularFile(tarball), tarball + " is built by mvn package");
    Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
    run(List.of("tar", "xzf", tarball.toString(), "-C", unpacked.toString()), Map.of(), 60);
    try (Stream<Path> top = Files.list(unpacked)) {
      home = top.findFirst().orElseThrow();
    }
    // A `mvn` first on the PATH that leaves a mark: the launcher must never build anything.
    fakeBin = Files.createDirectories(dir.resolve("fake-bin"));
    mavenRan = dir.resolve("maven-ran");
    executable(fakeBin.resolve("mvn"), "#!/bin/sh\ntouch '" + mavenRan + "'\nexit 99\n");
  }

  @Test
  void tarball_whenUnpacked_holdsLauncherRelativeClasspathAndJavaFxForBothProcessors()
      throws Exception {
    assertEquals("terrain-" + System.getProperty("terrain.version"), home.getFileName().toString());
    assertTrue(Files.isExecutable(home.resolve("bin/terrain")), "bin/terrain is executable");
    for (String file :
        List.of(
            "LICENSE",
            "README.md",
            "docs/operations.md",
            "conf/hub.env",
            "conf/server.env",
            "conf/systemd/terrain-hub.service",
            "conf/systemd/terrain-server.service",
            "examples/events/market-day.yaml",
            "lib/launch.sh",
            "lib/terrain-dist.jar")) {
      assertTrue(Files.isRegularFile(home.resolve(file)), file + " in the tarball");
    }
    // lib/classpath: relative entries, each one a jar in lib/, and every jar of lib/ listed.
    String[] entries = Files.readString(home.resolve("lib/classpath")).trim().split(":");
    Set<String> listed = new TreeSet<>();
    for (String entry : entries) {
      assertTrue(entry.matches("lib/[^/]+\\.jar"), "relative entry in lib/classpath: " + entry);
      assertTrue(Files.isRegularFile(home.resolve(entry)), entry + " exists");
      assertTrue(listed.add(entry), entry + " listed once");
    }
    Set<String> jars = new TreeSet<>();
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      lib.filter(p -> p.toString().endsWith(".jar"))
          .map(p -> "lib/" + p.getFileName())
          .forEach(jars::add);
    }
    jars.remove("lib/terrain-dist.jar");
    assertEquals(jars, listed, "lib/classpath lists exactly the jars of lib/");
    assertTrue(listed.stream().anyMatch(e -> e.contains("terrain-field-hub")), "the hub's jar");
    assertTrue(listed.stream().noneMatch(e -> e.contains("openjfx.javafx")), "JavaFX apart");

    // JavaFX: its three jars per processor, whose native libraries are built for it (ELF
    // e_machine 62 = x86-64, 183 = AArch64).
    assertJavaFx(home.resolve("lib/javafx/linux-x86_64"), 62);
    assertJavaFx(home.resolve("lib/javafx/linux-aarch64"), 183);
  }

  @Test
  void launcher_whenRunThroughSymlinkWithEmptyHomeAndNoMaven_usesOnlyItsOwnJars() throws Exception {
    // As /usr/bin/terrain -> /opt/terrain/bin/terrain in the package.
    Path link = Files.createDirectories(dir.resolve("usr-bin")).resolve("terrain");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, home.resolve("bin/terrain"));
    Map<String, String> env = operatorEnvironment(Map.of());
    env.put("TERRAIN_JAVA_OPTS", "-XshowSettings:properties");
    Result help = run(List.of(link.toString(), "--help"), env, 60);

    assertEquals(0, help.exitCode(), help.stderr());
    // French first: the environment names no language (decision 0051).
    assertTrue(
        help.stdout().contains("server     le serveur central de synchronisation"), help.stdout());
    List<String> classpath = classpath(help.stderr());
    assertFalse(classpath.isEmpty(), "java.class.path shown:\n" + help.stderr());
    for (String entry : classpath) {
      assertTrue(
          Path.of(entry).toRealPath().startsWith(home.toRealPath()),
          "classpath entry inside the unpacked folder: " + entry);
    }
    String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86_64";
    assertTrue(
        classpath.stream().anyMatch(e -> e.contains("/lib/javafx/linux-" + arch + "/")),
        "JavaFX of this processor on the classpath: " + classpath);
    assertFalse(Files.exists(mavenRan), "the launcher ran mvn");
  }

  @Test
  void launcher_whenJavaRunsOnAarch64OrArm32_picksArmJavaFxOrRefusesTheKiosk() throws Exception {
    Map<String, String> env = operatorEnvironment(Map.of());
    env.put("JAVA_HOME", javaReporting("aarch64").toString());
    env.put("TERRAIN_JAVA_OPTS", "-XshowSettings:properties");
    Result help = run(List.of(home.resolve("bin/terrain").toString(), "--help"), env, 60);
    assertEquals(0, help.exitCode(), help.stderr());
    List<String> classpath = classpath(help.stderr());
    assertEquals(
        3, classpath.stream().filter(e -> e.contains("/lib/javafx/linux-aarch64/")).count());
    assertTrue(classpath.stream().noneMatch(e -> e.contains("/lib/javafx/linux-x86_64/")));

    // A 32-bit Java (Raspberry Pi OS 32-bit, even on a 64-bit kernel): no JavaFX for it.
    env.put("JAVA_HOME", javaReporting("arm").toString());
    Result kiosk = run(List.of(home.resolve("bin/terrain").toString(), "kiosk", "--help"), env, 60);
    assertEquals(2, kiosk.exitCode(), kiosk.stderr());
    assertTrue(kiosk.stderr().contains("runs on 'arm'"), kiosk.stderr());
    assertTrue(kiosk.stderr().contains("Raspberry Pi OS (64-bit)"), kiosk.stderr());
  }

  /**
   * A JAVA_HOME whose {@code java} is this machine's, except that it reports {@code os.arch} as
   * {@code arch} when the launcher asks for its settings (no ARM machine here).
   */
  private static Path javaReporting(String arch) throws IOException {
    Path javaHome = Files.createDirectories(dir.resolve("java-" + arch + "/bin")).getParent();
    String real = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    executable(
        javaHome.resolve("bin/java"),
        "#!/bin/sh\n"
            + "case \"$*\" in\n"
            + "  *-XshowSettings:properties\\ -version*)\n"
            + "    '"
            + real
            + "' \"$@\" 2>&1 | sed 's/^\\( *os.arch = \\).*/\\1"
            + arch
            + "/' >&2 ;;\n"
            + "  *) exec '"
            + real
            + "' \"$@\" ;;\n"
            + "esac\n");
    return javaHome;
  }

  @Test
  void kiosk_whenStartedTwiceAndUpgraded_makesItsClassArchiveOnceStartsOnItAndRemakesIt()
      throws Exception {
    // Decision 0029: the launcher makes the class data sharing archive at the first start (a
    // training run), the next start maps it, and other jars (an upgrade) make a new one.
    Path cds = dir.resolve("cds");
    Map<String, String> env = operatorEnvironment(Map.of("TERRAIN_CDS_DIR", cds.toString()));
    env.put("DISPLAY", "");
    env.put("WAYLAND_DISPLAY", "");
    List<String> kiosk =
        List.of(
            home.resolve("bin/terrain").toString(),
            "kiosk",
            "--dev",
            "--data",
            dir.resolve("kiosk-data").toString(),
            "--event",
            home.resolve("examples/events/market-day.yaml").toString(),
            "--headless",
            "--exit-after-first-frame");

    Result first = run(kiosk, env, 300);
    assertEquals(0, first.exitCode(), first.stderr());
    assertTrue(first.stderr().contains("Class data sharing: a first start"), first.stderr());
    Path archive = onlyArchive(cds);
    Result second = run(kiosk, env, 120);
    assertEquals(0, second.exitCode(), second.stderr());
    assertFalse(second.stderr().contains("a first start"), second.stderr());
    String output = second.stdout() + second.stderr();
    assertTrue(output.contains("class data sharing archive " + archive), output);
    assertFalse(output.contains("Unable to use shared archive"), output);

    // An upgrade brings other jars (here: another date on one): a new archive, the old one gone.
    Path jar = home.resolve("lib/terrain-dist.jar");
    Files.setLastModifiedTime(
        jar,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(jar).toMillis() + 60_000));
    Result upgraded = run(kiosk, env, 300);
    assertEquals(0, upgraded.exitCode(), upgraded.stderr());
    assertTrue(upgraded.stderr().contains("Class data sharing: a first start"), upgraded.stderr());
    Path remade = onlyArchive(cds);
    assertNotEquals(archive, remade);
    assertTrue(
        (upgraded.stdout() + upgraded.stderr()).contains("class data sharing archive " + remade),
        upgraded.stderr());
  }

  private static Path onlyArchive(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> archives = files.filter(p -> p.toString().endsWith(".jsa")).toList();
      assertEquals(1, archives.size(), "one archive in " + folder + ": " + archives);
      return archives.get(0);
    }
  }

  @Test
  void serverHubAndSimulate_whenRunFromUnpackedFolder_countEveryResponseOnce() throws Exception {
    Path eventFile = home.resolve("examples/events/market-day.yaml");
    int serverHttp = Ports.free();
    int serverMqtt = Ports.free();
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    Path logs = dir.resolve("logs");
    Map<String, String> env =
        operatorEnvironment(
            Map.of("TERRAIN_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
    List<Child> children = new ArrayList<>();
    long began = System.nanoTime();
    try {
      // Server and hub start side by side: the hub's uplink retries until the server is up.
      Child server =
          start(
              children,
              "server",
              logs,
              env,
              Commands.server(dir.resolve("server"), serverHttp, serverMqtt));
      Child hub =
          start(
              children,
              "hub",
              logs,
              env,
              Commands.hub(
                  dir.resolve("hub"),
                  hubMqtt,
                  hubHttp,
                  "tcp://127.0.0.1:" + serverMqtt,
                  "hub-dist-it"));
      awaitListening(server);
      awaitListening(hub);
      milestone(began, "server and hub listening");
      for (int port : new int[] {serverHttp, hubHttp}) {
        JsonNode health = json.get("http://127.0.0.1:" + port + "/healthz").orElseThrow();
        assertEquals("up", health.path("status").asText(), "/healthz on " + port);
      }
      Child simulate =
          start(
              children,
              "simulate",
              logs,
              env,
              Commands.simulate(
                  hubMqtt, eventFile, KIOSKS, RESPONSES, dir.resolve("kiosks"), "--seed", "9"));
      assertEquals(0, simulate.waitFor(Duration.ofSeconds(90)), tail(simulate));
      assertEquals("acked " + RESPONSES + " of " + RESPONSES, simulate.lastLine().trim());
      milestone(began, "simulate acked by the hub");

      String summaryUrl =
          "http://127.0.0.1:"
              + serverHttp
              + "/api/events/"
              + EventLoader.load(eventFile).id()
              + "/summary";
      json.await(
          summaryUrl, s -> s.path("responses").asLong() >= RESPONSES, Duration.ofSeconds(60));
      json.await(
          "http://127.0.0.1:" + hubHttp + "/api/status",
          s -> s.path("pending").asLong() == 0 && s.path("uplink").asText().equals("up"),
          Duration.ofSeconds(30));
      // Nothing pending anywhere: a duplicate would already be counted.
      assertEquals(
          RESPONSES, json.get(summaryUrl).orElseThrow().path("responses").asLong(), "once each");

      milestone(began, "every response on the server");
      // Stopped as systemd stops them (SIGTERM): clean exits, within the unit's stop timeout.
      for (Child child : List.of(hub, server)) {
        int code = child.stop(Duration.ofSeconds(20));
        assertTrue(code == 0 || code == 143, child.name() + " exit code " + code);
      }
      assertFalse(Files.exists(mavenRan), "the launcher ran mvn");
    } finally {
      for (Child child : children) {
        child.close();
      }
    }
  }

  @Test
  void deb_whenInspected_declaresJavaConffilesUnitsLauncherAndUser() throws Exception {
    assumeCommand("dpkg-deb");
    Path deb = deb();
    Result depends = run(List.of("dpkg-deb", "-f", deb.toString(), "Depends"), Map.of(), 30);
    assertTrue(
        depends.stdout().contains("openjdk-17-jre-headless | java17-runtime-headless"),
        depends.stdout());
    assertEquals(
        "all",
        run(List.of("dpkg-deb", "-f", deb.toString(), "Architecture"), Map.of(), 30)
            .stdout()
            .trim());
    Path control = dir.resolve("deb-control");
    run(List.of("dpkg-deb", "-e", deb.toString(), control.toString()), Map.of(), 30);
    assertEquals(
        List.of("/etc/terrain/hub.env", "/etc/terrain/server.env"),
        Files.readAllLines(control.resolve("conffiles")));
    String postinst = Files.readString(control.resolve("postinst"));
    assertTrue(postinst.contains("adduser --quiet --system --ingroup terrain"), postinst);
    assertTrue(postinst.contains("install -d -o terrain -g terrain -m 0750 /var/lib/terrain"));
    assertTrue(Files.isExecutable(control.resolve("postinst")), "postinst executable");

    String contents = run(List.of("dpkg-deb", "-c", deb.toString()), Map.of(), 60).stdout();
    assertTrue(
        contents.contains("./usr/bin/terrain -> /opt/terrain/bin/terrain"), "the /usr/bin link");
    assertTrue(
        Pattern.compile("(?m)^-rwxr-xr-x root/root .* \\./opt/terrain/bin/terrain$")
            .matcher(contents)
            .find(),
        "the launcher, executable, owned by root");
    assertTrue(
        Pattern.compile("(?m)^-rw------- root/root .* \\./etc/terrain/server\\.env$")
            .matcher(contents)
            .find(),
        "server.env (the admin token) readable by root only");
    for (String path :
        List.of(
            "./lib/systemd/system/terrain-hub.service",
            "./lib/systemd/system/terrain-server.service",
            "./opt/terrain/lib/classpath",
            "./opt/terrain/lib/launch.sh",
            "./usr/share/doc/terrain/copyright",
            "./opt/terrain/lib/javafx/linux-aarch64/",
            "./etc/terrain/hub.env")) {
      assertTrue(contents.contains(path), path + " in the package");
    }
  }

  @Test
  void units_whenCheckedBySystemdAnalyze_verifyCleanAndAreHardened() throws Exception {
    assumeCommand("dpkg-deb");
    assumeCommand("systemd-analyze");
    Path root = dir.resolve("deb-root");
    run(List.of("dpkg-deb", "-x", deb().toString(), root.toString()), Map.of(), 120);
    Path launcher = root.resolve("opt/terrain/bin/terrain");
    // The package's own payload runs too (here from where it was extracted).
    Result help = run(List.of(launcher.toString(), "--help"), operatorEnvironment(Map.of()), 60);
    assertEquals(0, help.exitCode(), help.stderr());

    Path units = Files.createDirectories(dir.resolve("units"));
    for (String name : List.of("terrain-hub.service", "terrain-server.service")) {
      String unit = Files.readString(root.resolve("lib/systemd/system").resolve(name));
      for (String setting :
          List.of(
              "User=terrain",
              "NoNewPrivileges=yes",
              "ProtectSystem=strict",
              "ReadWritePaths=/var/lib/terrain",
              "PrivateTmp=yes",
              "ProtectHome=yes")) {
        assertTrue(unit.contains("\n" + setting + "\n"), name + " has " + setting);
      }
      String env = name.equals("terrain-hub.service") ? "hub.env" : "server.env";
      assertTrue(unit.contains("EnvironmentFile=/etc/terrain/" + env), name + " reads " + env);
      // verify checks that ExecStart's program exists: point it at the extracted one.
      Path copy = units.resolve(name);
      Files.writeString(copy, unit.replace("/opt/terrain/bin/terrain", launcher.toString()));
      Result verify = run(List.of("systemd-analyze", "verify", copy.toString()), Map.of(), 60);
      assertEquals(0, verify.exitCode(), name + ": " + verify.stderr());
      assertEquals("", (verify.stdout() + verify.stderr()).trim(), name + " verifies silently");

      Result security =
          run(
              List.of("systemd-analyze", "security", "--offline=true", copy.toString()),
              Map.of(),
              60);
      Matcher exposure =
          Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)")
              .matcher(security.stdout());
      assertTrue(exposure.find(), security.stdout() + security.stderr());
      double level = Double.parseDouble(exposure.group(1));
      System.out.println(name + ": systemd-analyze security exposure " + level);
      assertTrue(level <= 4.0, name + " exposure " + level + " (OK is below 4.0 of 10)");
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private record Result(int exitCode, String stdout, String stderr) {}

  /** The environment of an operator with no Maven and no ~/.m2: an empty HOME, a fake mvn. */
  private static Map<String, String> operatorEnvironment(Map<String, String> more)
      throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", Files.createDirectories(dir.resolve("empty-home")).toString());
    env.put("PATH", fakeBin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("MAVEN_OPTS", "");
    env.put("TERRAIN_JAVA_OPTS", "");
    env.putAll(more);
    return env;
  }

  private static Child start(
      List<Child> children, String name, Path logs, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/terrain").toString());
    command.addAll(List.of(args));
    Child child = Child.startProgram(name, command, logs.resolve(name + ".log"), null, env);
    children.add(child);
    return child;
  }

  private static void milestone(long began, String what) {
    System.out.printf("DistributionIT: %s after %.1f s%n", what, (System.nanoTime() - began) / 1e9);
  }

  private static void awaitListening(Child child) throws InterruptedException {
    assertTrue(
        child.awaitLine(HTTP_LISTENING, START).isPresent(),
        child.name() + " did not start:\n" + tail(child));
  }

  private static String tail(Child child) {
    List<String> lines = child.output();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static Result run(List<String> command, Map<String, String> env, int seconds)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within " + seconds + " s");
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** The entries of java.class.path as {@code -XshowSettings:properties} prints them. */
  private static List<String> classpath(String settings) {
    List<String> entries = new ArrayList<>();
    boolean inside = false;
    for (String line : settings.split("\n")) {
      if (line.contains("java.class.path = ")) {
        inside = true;
        entries.add(line.substring(line.indexOf(" = ") + 3).trim());
      } else if (inside && line.startsWith("        ") && !line.contains(" = ")) {
        entries.add(line.trim());
      } else if (inside) {
        break;
      }
    }
    return entries;
  }

  private static void assertJavaFx(Path folder, int elfMachine) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> jars = Files.list(folder)) {
      jars.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
    }
    assertEquals(3, names.size(), folder + ": " + names);
    for (String module : List.of("javafx-base", "javafx-controls", "javafx-graphics")) {
      assertTrue(names.stream().anyMatch(n -> n.startsWith(module + "-")), module + " " + names);
    }
    String graphics =
        names.stream().filter(n -> n.startsWith("javafx-graphics-")).findFirst().orElseThrow();
    try (JarFile jar = new JarFile(folder.resolve(graphics).toFile())) {
      ZipEntry glass = jar.getEntry("libglassgtk3.so");
      assertTrue(glass != null, graphics + " holds libglassgtk3.so");
      try (InputStream in = jar.getInputStream(glass)) {
        byte[] header = in.readNBytes(20);
        assertEquals("\u007fELF", new String(header, 0, 4, StandardCharsets.ISO_8859_1));
        int machine = (header[18] & 0xff) | (header[19] & 0xff) << 8;
        assertEquals(elfMachine, machine, graphics + " natives built for ELF machine");
      }
    }
  }

  private static Path deb() throws IOException {
    Path target = Path.of(System.getProperty("terrain.dist.tarball")).getParent();
    try (Stream<Path> files = Files.list(target)) {
      List<Path> debs =
          files.filter(p -> p.getFileName().toString().matches("terrain_.+_all\\.deb")).toList();
      assertEquals(1, debs.size(), "one terrain_VERSION_all.deb in " + target + ": " + debs);
      return debs.get(0);
    }
  }

  private static void assumeCommand(String command) throws Exception {
    boolean found = run(List.of("sh", "-c", "command -v " + command), Map.of(), 10).exitCode() == 0;
    if (!found) {
      System.err.println(
          "SKIPPED: "
              + command
              + " is not installed here, so the package check that needs it did not run"
              + " (Debian: apt-get install dpkg systemd).");
    }
    assumeTrue(found, command + " is not installed");
  }

  private static void executable(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rwxr-xr-x");
    Files.setPosixFilePermissions(file, mode);
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of docs/architecture.md, checked on the compiled main classes of every
 * module (tests excluded). A rule broken here means the picture in the architecture document is no
 * longer true: fix the code, or change the picture and the rule together.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("terrain");
    if (classes.size() < 150) {
      throw new AssertionError(
          "only " + classes.size() + " classes imported: is the classpath set?");
    }
  }

  /**
   * The modules, each a package root, use each other only along the arrows the poms declare (and
   * their chains): no class reaches a module its own module does not depend on, even when the jar
   * happens to be on the class path.
   */
  @Test
  void modules_dependOnlyAlongTheArrowsOfThePoms() throws Exception {
    Map<String, Set<String>> arrows = ModuleGraph.fromPoms(ModuleGraph.root());
    LayeredArchitecture layers =
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true);
    for (String module : arrows.keySet()) {
      layers = layers.layer(module).definedBy(ModuleGraph.PACKAGES.get(module) + "..");
    }
    for (String module : arrows.keySet()) {
      Set<String> users = ModuleGraph.dependents(arrows, module);
      layers =
          users.isEmpty()
              ? layers.whereLayer(module).mayNotBeAccessedByAnyLayer()
              : layers.whereLayer(module).mayOnlyBeAccessedByLayers(users.toArray(String[]::new));
    }
    layers.check(classes);
  }

  /** The picture in docs/architecture.md is the poms' graph (docs/modules.sh redraws it). */
  @Test
  void picture_inArchitectureDoc_isTheGraphOfThePoms() throws Exception {
    Path root = ModuleGraph.root();
    Map<String, Set<String>> poms = ModuleGraph.fromPoms(root);
    poms.values().removeIf(Set::isEmpty);
    Map<String, Set<String>> picture =
        ModuleGraph.fromPicture(root.resolve("docs/architecture.md"));
    assertEquals(
        ModuleGraph.mermaid(poms),
        ModuleGraph.mermaid(picture),
        "docs/architecture.md's module picture differs from the poms: run docs/modules.sh and"
            + " paste its output");
  }

  /** The core sits at the bottom: every other module depends on it, it depends on none. */
  @Test
  void core_dependsOnNoOtherModule() throws Exception {
    Map<String, Set<String>> poms = ModuleGraph.fromPoms(ModuleGraph.root());
    assertEquals(Set.of(), poms.get("core"));
  }

  /** The domain: records, wire format, event files, tickets, texts; no infrastructure. */
  @Test
  void core_importsNoInfrastructure() {
    noClasses()
        .that()
        .resideInAPackage("terrain.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "javax.sql..",
            "java.net.http..",
            "org.eclipse.paho..",
            "com.hivemq..",
            "org.eclipse.jetty..",
            "org.flywaydb..",
            "org.apache.derby..",
            "org.postgresql..",
            "javafx..",
            "com.fasterxml.jackson..")
        .because("the domain is shared by every deployable and must stay free of infrastructure")
        .check(classes);
  }

  /** KioskMain, the kiosk's start-up, wires the engine, the sync agent and the screens. */
  @Test
  void kioskUi_usesNoJdbcNoMqtt() {
    noClasses()
        .that()
        .resideInAPackage("terrain.kiosk.ui..")
        .and()
        .doNotHaveSimpleName("KioskMain")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "javax.sql..",
            "org.apache.derby..",
            "org.eclipse.paho..",
            "terrain.transport..")
        .orShould()
        .dependOnClassesThat(
            resideInAPackage("terrain.store..").and(not(simpleName("StoreException"))))
        .because("screens talk to the kiosk engine (terrain.kiosk.session), never to the database")
        .check(classes);
  }

  @Test
  void views_doNoIo() {
    noClasses()
        .that()
        .resideInAPackage("terrain.kiosk.ui..")
        .and(
            JavaClass.Predicates.simpleNameEndingWith("View")
                .or(JavaClass.Predicates.assignableTo("javafx.scene.Node")))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "java.net..",
            "java.nio.file..",
            "javax.imageio..",
            "org.apache.pdfbox..",
            "org.apache.derby..",
            "org.eclipse.paho..",
            "terrain.store..",
            "terrain.transport..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.File")
        .because("a view draws a model; files, network and database work belong to models/services")
        .check(classes);
  }

  /**
   * Each deployable is reached from outside only through its entry points; the rest of it is
   * internal and may change without notice.
   */
  @Test
  void deployables_areUsedOnlyThroughTheirEntryPoints() {
    noClasses()
        .that()
        .resideOutsideOfPackage("terrain.kiosk..")
        .should()
        .dependOnClassesThat(
            internal(
                    "terrain.kiosk..",
                    "terrain.kiosk.session..",
                    "terrain.kiosk.simulate..",
                    "terrain.kiosk.bench..")
                .and(not(simpleName("KioskMain"))))
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("terrain.hub..")
        .should()
        .dependOnClassesThat(resideInAPackage("terrain.hub..").and(not(simpleName("HubMain"))))
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("terrain.server..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("terrain.server..").and(not(simpleName("ServerMain"))))
        .check(classes);
  }

  /**
   * No cycles between the packages of the second level ({@code terrain.core.record}, {@code
   * terrain.kiosk.ui}, {@code terrain.server.claim}...). Inside the kiosk's screens the flow model
   * and its screens know each other, which is how JavaFX model/view pairs are written; that is one
   * slice, {@code terrain.kiosk.ui}.
   */
  @Test
  void packages_haveNoCycles() {
    slices().matching("terrain.(*).(*)..").should().beFreeOfCycles().check(classes);
  }

  /**
   * No main code catches {@code Throwable}, {@code Error} or a virtual-machine error (out of
   * memory...): such a process must stop and be restarted, not carry on half-broken. Catching a
   * precise linkage error (a platform service absent) stays allowed. Read from the sources: in the
   * class files, every try-with-resources catches Throwable.
   */
  @Test
  void noMainCode_catchesErrorOrThrowable() throws Exception {
    Pattern forbidden =
        Pattern.compile(
            "catch\\s*\\((?:[\\w.]+\\s*\\|\\s*)*(?:java\\.lang\\.)?"
                + "(Throwable|Error|VirtualMachineError|OutOfMemoryError|StackOverflowError)\\b");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ModuleGraph.root())) {
      for (Path file :
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/main/java/"))
              .toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = forbidden.matcher(lines.get(i));
          if (m.find()) {
            found.add(
                ModuleGraph.root().relativize(file) + ":" + (i + 1) + " catches " + m.group(1));
          }
        }
      }
    }
    assertEquals(List.of(), found);
  }

  /** Classes of {@code module} outside its {@code api} packages. */
  private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> internal(
      String module, String... api) {
    return resideInAPackage(module).and(not(resideInAnyPackage(api)));
  }
}

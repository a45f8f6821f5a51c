// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
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

  /** The modules, each a package root, and who may use whom (the arrows of the picture). */
  @Test
  void modules_dependOnlyAlongTheArrowsOfThePicture() {
    ArchRule rule =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("core")
            .definedBy("terrain.core..")
            .layer("store")
            .definedBy("terrain.store..")
            .layer("transport")
            .definedBy("terrain.transport..")
            .layer("broker")
            .definedBy("terrain.broker..")
            .layer("http")
            .definedBy("terrain.http..")
            .layer("hardware")
            .definedBy("terrain.hardware..")
            .layer("kiosk")
            .definedBy("terrain.kiosk..")
            .layer("hub")
            .definedBy("terrain.hub..")
            .layer("server")
            .definedBy("terrain.server..")
            .layer("provisioning")
            .definedBy("terrain.provisioning..")
            .layer("dist")
            .definedBy("terrain.dist..")
            .whereLayer("dist")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("kiosk")
            .mayOnlyBeAccessedByLayers("dist")
            .whereLayer("hub")
            .mayOnlyBeAccessedByLayers("dist")
            .whereLayer("server")
            .mayOnlyBeAccessedByLayers("dist")
            .whereLayer("provisioning")
            .mayOnlyBeAccessedByLayers("dist")
            .whereLayer("hardware")
            .mayOnlyBeAccessedByLayers("kiosk", "hub", "dist")
            .whereLayer("http")
            .mayOnlyBeAccessedByLayers("hub", "server", "dist")
            .whereLayer("broker")
            .mayOnlyBeAccessedByLayers("hub", "server", "dist")
            .whereLayer("transport")
            .mayOnlyBeAccessedByLayers("broker", "kiosk", "hub", "server", "provisioning", "dist")
            .whereLayer("store")
            .mayOnlyBeAccessedByLayers(
                "transport", "broker", "kiosk", "hub", "server", "provisioning", "dist");
    rule.check(classes);
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

  @Test
  void kioskUi_usesNoJdbcNoMqtt() {
    noClasses()
        .that()
        .resideInAPackage("terrain.kiosk.ui..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "javax.sql..",
            "org.apache.derby..",
            "org.eclipse.paho..",
            "terrain.transport..")
        .because("screens talk to the kiosk engine (terrain.kiosk.session), never to the database")
        .check(classes);
  }

  @Test
  void views_doNoIo() {
    noClasses()
        .that()
        .resideInAPackage("terrain.kiosk.ui..")
        .and()
        .haveSimpleNameEndingWith("View")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "java.net..", "java.nio.file..", "org.apache.pdfbox..")
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

  /** Classes of {@code module} outside its {@code api} packages. */
  private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> internal(
      String module, String... api) {
    return resideInAPackage(module).and(not(resideInAnyPackage(api)));
  }
}

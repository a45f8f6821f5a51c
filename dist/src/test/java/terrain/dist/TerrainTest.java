// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./terrain --help}: the list of commands, French unless the console is English. */
class TerrainTest {

  private static final List<String> COMMANDS =
      List.of("demo", "server", "hub", "kiosk", "provision", "staff", "bench", "screenshots");

  @Test
  void usage_inFrenchByDefault_inEnglishWithAnEnglishConsole_everyCommandListed() {
    String fr = Terrain.usage(Map.of());
    assertTrue(fr.startsWith("Terrain : outils de terrain"), fr);
    assertTrue(fr.contains("Utilisation : ./terrain COMMANDE [OPTIONS]"), fr);
    assertTrue(fr.contains("  provision  préparer un événement"), fr);

    String en = Terrain.usage(Map.of("LC_ALL", "en_US.UTF-8", "LANG", "fr_FR.UTF-8"));
    assertTrue(en.startsWith("Terrain: field tools for citizen participation."), en);
    assertTrue(en.contains("  provision  prepare an event"), en);

    for (String command : COMMANDS) {
      assertTrue(fr.contains("\n  " + command + " "), command + " in\n" + fr);
      assertTrue(en.contains("\n  " + command + " "), command + " in\n" + en);
    }
  }
}

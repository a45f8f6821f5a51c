// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist;

import java.util.Arrays;
import terrain.dist.bench.BenchMain;
import terrain.dist.demo.DemoMain;
import terrain.hub.HubMain;
import terrain.kiosk.simulate.SimulateMain;
import terrain.kiosk.ui.KioskMain;
import terrain.provisioning.ProvisionMain;
import terrain.server.ServerMain;

/**
 * The one entry point behind {@code ./terrain}: dispatches a subcommand to the deployable that runs
 * it. Each command blocks until its work is done (or until Ctrl-C for services), then the process
 * exits with its code.
 */
public final class Terrain {
  private static final String USAGE =
      """
      Terrain: field tools for citizen participation.

      Usage: ./terrain COMMAND [OPTIONS]   (./terrain COMMAND --help for its options)

        demo       a sync server, a field hub and simulated kiosks on this machine
        server     the central sync server (MQTT ingest, results, HTTP API)
        hub        the field hub of a site (embedded broker, store-and-forward uplink)
        kiosk      the touch kiosk (JavaFX) for residents; --mode tablet for facilitators
        simulate   headless kiosks recording seeded random responses through a hub
        provision  prepare an event: check and publish it, enrol devices, print kits, preflight
        staff      staff accounts of the server: add, token, disable, enable, list
        bench      benchmarks: sync, commit, tickets, kiosk, hub, chaos, report
        print-test print a test ticket: --printer pdf:DIR | escpos:usb:/dev/usb/lp0 | ...
        screenshots  PNGs of every kiosk screen, French and Arabic (default into docs/screenshots)
      """;

  private Terrain() {}

  /** {@code ./terrain screenshots [DIR]}: the kiosk's screenshot command on the example event. */
  private static int screenshots(String... args) {
    java.nio.file.Path root =
        java.nio.file.Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
      System.err.println(
          "Usage: ./terrain screenshots [DIR]   (default DIR: docs/screenshots); for another"
              + " event: ./terrain kiosk --event FILE --screenshots DIR");
      return 2;
    }
    String out = args.length == 1 ? args[0] : root.resolve("docs/screenshots").toString();
    return KioskMain.run(
        "--event",
        root.resolve("examples/events/market-day.yaml").toString(),
        "--screenshots",
        out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "demo" -> DemoMain.run(rest);
      case "server" -> ServerMain.run(rest);
      case "hub" -> HubMain.run(rest);
      case "simulate" -> SimulateMain.run(rest);
      case "provision" -> ProvisionMain.run(rest);
      case "staff" -> ServerMain.staff(rest);
      case "bench" -> BenchMain.run(rest);
      case "kiosk" -> KioskMain.run(rest);
      case "print-test" -> PrintTestMain.run(rest);
      case "screenshots" -> screenshots(rest);
      default -> {
        System.err.println("Unknown command '" + args[0] + "'.");
        System.err.print(USAGE);
        yield 2;
      }
    };
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import terrain.core.text.ConsoleLanguage;
import terrain.core.text.Messages;
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
  /** The commands in the order the usage lists them. */
  private static final List<String> COMMANDS =
      List.of(
          "demo",
          "server",
          "hub",
          "kiosk",
          "simulate",
          "provision",
          "staff",
          "bench",
          "print-test",
          "screenshots");

  /**
   * The list of commands in the console's language ({@code LC_ALL}, {@code LC_MESSAGES}, {@code
   * LANG}; French unless English), from {@code terrain/dist/cli/messages*.properties}.
   */
  static String usage(Map<String, String> env) {
    Messages m = messages(env);
    StringBuilder usage = new StringBuilder();
    usage.append(m.text("usage.title")).append("\n\n");
    usage.append(m.text("usage.synopsis")).append("\n\n");
    for (String command : COMMANDS) {
      usage.append(String.format("  %-10s %s%n", command, m.text("command." + command)));
    }
    return usage.toString();
  }

  private static Messages messages(Map<String, String> env) {
    return new Messages("terrain.dist.cli.messages", ConsoleLanguage.of(env));
  }

  private static PrintStream console(PrintStream stream) {
    return new PrintStream(stream, true, ConsoleLanguage.charset(System.getenv()));
  }

  private Terrain() {}

  /** {@code ./terrain screenshots [DIR]}: the kiosk's screenshot command on the example event. */
  private static int screenshots(String... args) {
    java.nio.file.Path root =
        java.nio.file.Path.of(System.getenv().getOrDefault("TERRAIN_HOME", "."));
    if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
      console(System.err).println(messages(System.getenv()).text("usage.screenshots"));
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
      console(System.out).print(usage(System.getenv()));
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
        PrintStream err = console(System.err);
        err.println(messages(System.getenv()).text("usage.unknown", args[0]));
        err.print(usage(System.getenv()));
        yield 2;
      }
    };
  }
}

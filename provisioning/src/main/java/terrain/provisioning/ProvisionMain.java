// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./terrain provision}: what ops staff run from their laptop the week and the evening before
 * an event. Checks and publishes the event file, enrols devices and prints their kits, revokes,
 * rolls and replaces devices, and preflights a hub; talks to the sync server's admin API.
 *
 * <p>Exit codes: 0 done, 1 refused (a mistake in the file, the server or the hub said no, nothing
 * answered), 2 a command line that cannot be run as written.
 */
@Command(
    name = "terrain provision",
    mixinStandardHelpOptions = true,
    versionProvider = ProvisionMain.Version.class,
    description =
        "Prepare an event: check and publish its file, enrol devices and print their kits,"
            + " preflight the hub the evening before.",
    subcommands = {
      EventCommand.class,
      PopulationCommand.class,
      DeviceCommand.class,
      PreflightCommand.class
    },
    footer = {
      "",
      "The admin token comes from --token or the environment variable TERRAIN_ADMIN_TOKEN"
          + " (better: it stays out of the shell history and the process list).",
      "Exit codes: 0 done, 1 refused (fix what the message says), 2 command line not valid."
    })
public final class ProvisionMain {

  /** The environment (TERRAIN_ADMIN_TOKEN, NO_COLOR), the clock and zone of the kit, colours. */
  record Context(Map<String, String> env, Clock clock, ZoneId zone, boolean ansi) {}

  private final Context context;

  ProvisionMain(Context context) {
    this.context = context;
  }

  static Context context(CommandSpec spec) {
    return ((ProvisionMain) spec.root().userObject()).context;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one provisioning command on this process's console; returns the exit code. */
  public static int run(String... args) {
    Map<String, String> env = System.getenv();
    boolean ansi = System.console() != null && !env.containsKey("NO_COLOR");
    Context context = new Context(env, Clock.systemUTC(), ZoneId.systemDefault(), ansi);
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    return run(context, out, err, args);
  }

  /** As {@link #run(String...)} with the environment and the console given, for tests. */
  static int run(Context context, PrintWriter out, PrintWriter err, String... args) {
    CommandLine command = commandLine(context);
    command.setOut(out);
    command.setErr(err);
    try {
      return command.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(Context context) {
    CommandLine command = new CommandLine(new ProvisionMain(context));
    command.setExitCodeExceptionMapper(
        e ->
            e instanceof ProvisionException p
                ? p.exitCode()
                : e instanceof CommandLine.ParameterException
                    ? ProvisionException.USAGE
                    : ProvisionException.REFUSED);
    command.setExecutionExceptionHandler(
        (e, failed, parsed) -> {
          if (!(e instanceof ProvisionException p)) {
            throw e;
          }
          PrintWriter err = failed.getErr();
          err.println(p.getMessage());
          p.details().forEach(err::println);
          err.flush();
          return p.exitCode();
        });
    return command;
  }

  /** {@code --version}: the version of the jar, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ProvisionMain.class.getPackage().getImplementationVersion();
      return new String[] {"terrain provision " + (version == null ? "development" : version)};
    }
  }
}

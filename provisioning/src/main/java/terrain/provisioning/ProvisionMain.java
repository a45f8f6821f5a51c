// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code ./terrain provision}: what ops staff run from their laptop the week and the evening before
 * an event. Checks and publishes the event file, enrols devices and prints their kits, revokes,
 * rolls and replaces devices, and preflights a hub; talks to the sync server's admin API.
 *
 * <p>Exit codes: 0 done, 1 refused (a mistake in the file, the server or the hub said no, nothing
 * answered), 2 a command line that cannot be run as written.
 *
 * <p>It speaks French, or English when {@code --lang en} is given or the environment's language
 * ({@code LC_ALL}, {@code LC_MESSAGES}, {@code LANG}) is English: every message and the help come
 * from {@link Texts}' bundles.
 */
@Command(
    name = "terrain provision",
    mixinStandardHelpOptions = true,
    resourceBundle = Texts.USAGE,
    subcommands = {
      EventCommand.class,
      PopulationCommand.class,
      DeviceCommand.class,
      PreflightCommand.class
    })
public final class ProvisionMain {

  /** The environment (TERRAIN_ADMIN_TOKEN, NO_COLOR), the clock and zone of the kit, colours. */
  record Context(Map<String, String> env, Clock clock, ZoneId zone, boolean ansi) {}

  private final Context context;
  private final Texts texts;
  private final Optional<Locale> lang;

  /**
   * {@code --lang fr|en}: the language of the messages, the help and the kit. Read before picocli
   * parses (the help is written in it), declared here so that every command accepts it.
   */
  @Option(
      names = "--lang",
      paramLabel = "fr|en",
      descriptionKey = "lang",
      scope = CommandLine.ScopeType.INHERIT)
  String langOption;

  ProvisionMain(Context context, Texts texts, Optional<Locale> lang) {
    this.context = context;
    this.texts = texts;
    this.lang = lang;
  }

  private static ProvisionMain root(CommandSpec spec) {
    return (ProvisionMain) spec.root().userObject();
  }

  static Context context(CommandSpec spec) {
    return root(spec).context;
  }

  /** The messages in the language of this run. */
  static Texts texts(CommandSpec spec) {
    return root(spec).texts;
  }

  /** The kit's language: {@code --lang} if given, else French (the staff at the event are). */
  static Locale kitLocale(CommandSpec spec) {
    return root(spec).lang.orElse(Locale.FRENCH);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one provisioning command on this process's console; returns the exit code. */
  public static int run(String... args) {
    Map<String, String> env = System.getenv();
    boolean ansi = System.console() != null && !env.containsKey("NO_COLOR");
    Context context = new Context(env, Clock.systemUTC(), ZoneId.systemDefault(), ansi);
    Charset charset = Texts.consoleCharset(env);
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
    return run(context, out, err, args);
  }

  /** As {@link #run(String...)} with the environment and the console given, for tests. */
  static int run(Context context, PrintWriter out, PrintWriter err, String... args) {
    try {
      Optional<String> asked = langArgument(args);
      Optional<Locale> lang = asked.flatMap(Texts::language);
      Texts texts = Texts.of(lang.orElse(Texts.fromEnvironment(context.env())));
      if (asked.isPresent() && lang.isEmpty()) {
        err.println(texts.get("lang.invalid", asked.get()));
        return ProvisionException.USAGE;
      }
      CommandLine command = commandLine(context, texts, lang);
      command.setOut(out);
      command.setErr(err);
      return command.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The value of {@code --lang} or {@code --lang=} before any {@code --}, if given. */
  static Optional<String> langArgument(String... args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals("--lang")) {
        return Optional.of(i + 1 < args.length ? args[i + 1] : "");
      }
      if (args[i].startsWith("--lang=")) {
        return Optional.of(args[i].substring("--lang=".length()));
      }
    }
    return Optional.empty();
  }

  static CommandLine commandLine(Context context, Texts texts, Optional<Locale> lang) {
    CommandLine command = new CommandLine(new ProvisionMain(context, texts, lang));
    command.setResourceBundle(texts.usage());
    command.getCommandSpec().versionProvider(new Version(texts));
    command.setParameterExceptionHandler(new UsageErrors(texts));
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
  record Version(Texts texts) implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ProvisionMain.class.getPackage().getImplementationVersion();
      return new String[] {
        "terrain provision " + (version == null ? texts.get("version.development") : version)
      };
    }
  }
}

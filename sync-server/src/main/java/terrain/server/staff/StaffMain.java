// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.staff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import terrain.http.Json;
import terrain.server.access.Access;
import terrain.server.access.PasswordHash;
import terrain.server.access.Role;
import terrain.server.access.Staff;
import terrain.server.access.StaffAccounts;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * {@code ./terrain staff}: staff accounts from the command line, either on the server's database
 * ({@code --data DIR} or {@code --db URL}; Derby only while the server is stopped) or over HTTP
 * with an admin's token ({@code --server URL --token TOKEN}, the shared admin token works too).
 * Exit codes: 0 done, 1 failed (database, server, no such account), 2 wrong usage.
 */
@Command(
    name = "staff",
    mixinStandardHelpOptions = true,
    description =
        "Staff accounts of the sync server: add, token, disable, enable, list. On the server's"
            + " database (--data DIR or --db URL; a Derby database only while the server is"
            + " stopped) or over HTTP (--server URL --token ADMIN_TOKEN).",
    subcommands = {
      StaffMain.Add.class,
      StaffMain.Token.class,
      StaffMain.Disable.class,
      StaffMain.Enable.class,
      StaffMain.ListAccounts.class
    })
public final class StaffMain implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  private final java.io.InputStream stdin;

  StaffMain(java.io.InputStream stdin) {
    this.stdin = stdin;
  }

  public static int run(String... args) {
    return new CommandLine(new StaffMain(System.in)).execute(args);
  }

  /** As {@link #run} with the console and standard input given, for tests. */
  static int run(PrintWriter out, PrintWriter err, java.io.InputStream in, String... args) {
    CommandLine command = new CommandLine(new StaffMain(in));
    command.setOut(out);
    command.setErr(err);
    return command.execute(args);
  }

  /** A failure with its message for the operator and its exit code. */
  static final class Failure extends Exception {
    final int code;

    Failure(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  /** Where the accounts are: the database, or a running server. */
  static final class Target {
    @ArgGroup(exclusive = false, multiplicity = "0..1")
    Local local;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    Remote remote;

    static final class Local {
      @Option(
          names = "--data",
          paramLabel = "DIR",
          description = "The server's data folder (its Derby database is DIR/db).")
      Path data;

      @Option(
          names = "--db",
          paramLabel = "JDBC_URL",
          description = "The server's database: jdbc:postgresql://HOST:5432/DB?user=USER.")
      String db;
    }

    static final class Remote {
      @Option(
          names = "--server",
          required = true,
          paramLabel = "URL",
          description = "A running server, e.g. https://terrain.example.fr.")
      String server;

      @Option(
          names = "--token",
          required = true,
          paramLabel = "TOKEN",
          description = "An admin account's token, or the server's --admin-token.")
      String token;
    }
  }

  /** The shared options and plumbing of each subcommand. */
  abstract static class Sub implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @ParentCommand StaffMain parent;

    @Mixin Where where;

    abstract void local(Access access, PrintWriter out) throws Failure, StoreException;

    abstract void remote(Remote http, PrintWriter out) throws Failure;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        Target t = where.target;
        boolean local = t.local != null && (t.local.data != null || t.local.db != null);
        if (local == (t.remote != null)) {
          throw new Failure(
              2,
              "say where the accounts are: --data DIR (or --db JDBC_URL) with the server stopped,"
                  + " or --server URL --token ADMIN_TOKEN while it runs");
        }
        if (local) {
          String url =
              t.local.db != null ? t.local.db : Database.derbyUrl(t.local.data.resolve("db"));
          Database database;
          try {
            database = Database.open(url, "classpath:db/migration/server");
          } catch (StoreException e) {
            throw new Failure(
                1,
                e.getMessage()
                    + " (while the server runs, use --server URL --token ADMIN_TOKEN instead)");
          }
          try (database) {
            SecureRandom random = new SecureRandom();
            Access access =
                new Access(
                    new StaffAccounts(database),
                    null,
                    new PasswordHash(PasswordHash.DEFAULT, random),
                    Clock.systemUTC(),
                    random);
            local(access, out);
          }
        } else {
          remote(new Remote(t.remote.server, t.remote.token), out);
        }
        out.flush();
        return 0;
      } catch (Failure f) {
        err.println(f.getMessage());
        err.flush();
        return f.code;
      } catch (StoreException e) {
        err.println(e.getMessage());
        err.flush();
        return 1;
      }
    }

    static String who() {
      return "cli:" + System.getProperty("user.name", "?");
    }

    static void audit(Access access, String action, String target, String detail) {
      access.auditAs(who(), Staff.Via.COMMAND_LINE.id(), action, target, detail, "local");
    }

    static String name(String name) throws Failure {
      if (!StaffAccounts.validName(name)) {
        throw new Failure(2, "the account name [" + name + "] must be " + StaffAccounts.NAME_RULE);
      }
      return name;
    }
  }

  /** The target options, shared by each subcommand. */
  static final class Where {
    @ArgGroup(exclusive = false, multiplicity = "1", heading = "Where the accounts are:%n")
    Target target = new Target();
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Creates an account. The password is asked twice on the terminal, or read from the"
              + " first line of standard input with --password-stdin.")
  static final class Add extends Sub {
    @Parameters(paramLabel = "NAME", description = "e.g. claire.martin")
    String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "moderator, analyst or admin.")
    String role;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    private Role checkedRole() throws Failure {
      return Role.parse(role)
          .orElseThrow(() -> new Failure(2, "--role must be " + Role.choices() + ", not " + role));
    }

    private String password() throws Failure {
      String password;
      if (passwordStdin) {
        java.io.InputStream in = parent.stdin;
        try {
          password =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
          throw new Failure(1, "cannot read the password from standard input: " + e.getMessage());
        }
      } else {
        Console console = System.console();
        if (console == null) {
          throw new Failure(
              2,
              "no terminal to ask the password on: pass --password-stdin and the password on"
                  + " standard input");
        }
        char[] first = console.readPassword("Password for %s (12 characters or more): ", name);
        char[] again = console.readPassword("The same again: ");
        if (first == null || again == null || !Arrays.equals(first, again)) {
          throw new Failure(2, "the two passwords differ; nothing was created");
        }
        password = new String(first);
      }
      Optional<String> weak = PasswordHash.problem(password);
      if (weak.isPresent()) {
        throw new Failure(2, weak.get() + "; nothing was created");
      }
      return password;
    }

    @Override
    void local(Access access, PrintWriter out) throws Failure, StoreException {
      String n = name(name);
      Role r = checkedRole();
      String password = password();
      if (!access.createAccount(n, r, password, who())) {
        throw new Failure(1, "the account " + n + " exists already");
      }
      audit(access, "staff.create", n, "role " + r.id());
      out.println("Account " + n + " (" + r.id() + ") created.");
    }

    @Override
    void remote(Remote http, PrintWriter out) throws Failure {
      String n = name(name);
      Role r = checkedRole();
      ObjectNode body = Json.object();
      body.put("name", n);
      body.put("role", r.id());
      body.put("password", password());
      http.post("/api/admin/staff", body);
      out.println("Account " + n + " (" + r.id() + ") created.");
    }
  }

  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description =
          "Makes a bearer token of the account for scripts and prints it on standard output, once"
              + " (the server keeps only its hash). It has the account's role.")
  static final class Token extends Sub {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--label", paramLabel = "TEXT", description = "What the token is for.")
    String label = "";

    @Override
    void local(Access access, PrintWriter out) throws Failure, StoreException {
      String n = name(name);
      Access.IssuedToken issued =
          access
              .issueToken(n, label, who())
              .orElseThrow(() -> new Failure(1, "no account " + n + ": create it with staff add"));
      audit(access, "staff.token.create", n, issued.id() + " " + label);
      out.println(issued.token());
    }

    @Override
    void remote(Remote http, PrintWriter out) throws Failure {
      String n = name(name);
      ObjectNode body = Json.object();
      body.put("label", label);
      out.println(http.post("/api/admin/staff/" + n + "/tokens", body).path("token").asText());
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disables an account: its sessions end, its tokens stop working.")
  static final class Disable extends Sub {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    void local(Access access, PrintWriter out) throws Failure, StoreException {
      String n = name(name);
      if (!access.accounts().setDisabled(n, true, access.clock().millis())) {
        throw new Failure(1, "no account " + n);
      }
      audit(access, "staff.disable", n, "");
      out.println("Account " + n + " disabled.");
    }

    @Override
    void remote(Remote http, PrintWriter out) throws Failure {
      String n = name(name);
      http.post("/api/admin/staff/" + n + "/disable", Json.object());
      out.println("Account " + n + " disabled.");
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Enables an account again.")
  static final class Enable extends Sub {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    void local(Access access, PrintWriter out) throws Failure, StoreException {
      String n = name(name);
      if (!access.accounts().setDisabled(n, false, access.clock().millis())) {
        throw new Failure(1, "no account " + n);
      }
      audit(access, "staff.enable", n, "");
      out.println("Account " + n + " enabled.");
    }

    @Override
    void remote(Remote http, PrintWriter out) throws Failure {
      String n = name(name);
      http.post("/api/admin/staff/" + n + "/enable", Json.object());
      out.println("Account " + n + " enabled.");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the accounts.")
  static final class ListAccounts extends Sub {
    @Override
    void local(Access access, PrintWriter out) throws StoreException {
      for (StaffAccounts.Account a : access.accounts().list()) {
        long tokens = access.accounts().tokens(a.name()).stream().filter(t -> !t.revoked()).count();
        line(out, a.name(), a.role().id(), a.disabled(), tokens);
      }
    }

    @Override
    void remote(Remote http, PrintWriter out) throws Failure {
      for (JsonNode a : http.get("/api/admin/staff")) {
        line(
            out,
            a.path("name").asText(),
            a.path("role").asText(),
            a.path("disabled").asBoolean(),
            a.path("tokens").size());
      }
    }

    private static void line(PrintWriter out, String name, String role, boolean off, long tokens) {
      out.println(
          String.format(
              "%-24s %-10s %-9s %d token%s",
              name, role, off ? "disabled" : "active", tokens, tokens == 1 ? "" : "s"));
    }
  }

  /** The staff API of a running server. */
  static final class Remote {
    private final HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String token;

    Remote(String server, String token) throws Failure {
      try {
        URI uri = new URI(server.strip().replaceAll("/+$", ""));
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          throw new Failure(2, "--server must be http(s)://HOST[:PORT], not " + server);
        }
        this.base = uri;
      } catch (java.net.URISyntaxException e) {
        throw new Failure(2, "--server must be http(s)://HOST[:PORT], not " + server);
      }
      this.token = token;
    }

    JsonNode get(String path) throws Failure {
      return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
    }

    JsonNode post(String path, JsonNode body) throws Failure {
      return send(
          HttpRequest.newBuilder(base.resolve(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
          path);
    }

    private JsonNode send(HttpRequest.Builder request, String path) throws Failure {
      HttpResponse<String> response;
      try {
        response =
            client.send(
                request
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new Failure(
            1, "the server at " + base + " does not answer (" + e + "): check --server");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Failure(1, "interrupted");
      }
      JsonNode json;
      try {
        json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
      } catch (IOException e) {
        json = Json.object();
      }
      if (response.statusCode() / 100 != 2) {
        throw new Failure(
            1,
            "the server refused "
                + path
                + " ("
                + response.statusCode()
                + "): "
                + json.path("error").asText(response.body()));
      }
      return json;
    }
  }
}

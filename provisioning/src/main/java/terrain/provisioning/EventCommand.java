// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventFileException;
import terrain.core.event.EventLoader;
import terrain.core.event.Poll;

/** {@code provision event check|publish}: the event file, checked here then kept by the server. */
@Command(
    name = "event",
    mixinStandardHelpOptions = true,
    description = "Check an event file, publish it to the server.",
    subcommands = {EventCommand.Check.class, EventCommand.Publish.class})
final class EventCommand {

  /** Loads {@code file}; prints every problem on err and throws when there is any. */
  static EventDefinition load(Path file, PrintWriter err) throws ProvisionException {
    try {
      return EventLoader.load(file);
    } catch (EventFileException e) {
      e.problems().forEach(p -> err.println(p));
      int n = e.problems().size();
      throw ProvisionException.refused(
          n
              + (n == 1 ? " mistake" : " mistakes")
              + " in "
              + file
              + ": fix "
              + (n == 1 ? "it" : "them")
              + " and run `terrain provision event check "
              + file
              + "` again");
    }
  }

  /** {@code marche-2026: 3 polls, 12 questions}. */
  static String summary(EventDefinition event) {
    int polls = event.polls().size();
    int questions =
        event.polls().stream().map(Poll::questions).mapToInt(java.util.List::size).sum();
    return event.id()
        + ": "
        + polls
        + (polls == 1 ? " poll, " : " polls, ")
        + questions
        + (questions == 1 ? " question" : " questions");
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Read an event file as kiosks will: every mistake is printed as FILE:line:column: what to"
            + " fix, then the command exits with 1; a good file gives a one-line summary."
      })
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The event file (YAML).")
    Path file;

    @Override
    public Integer call() throws ProvisionException {
      EventDefinition event = load(file, spec.commandLine().getErr());
      spec.commandLine().getOut().println(summary(event));
      return 0;
    }
  }

  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description = {
        "Check an event file, then publish it: the server keeps it versioned and sends it to the"
            + " hubs as signed config. Publishing the same file again changes nothing; renaming or"
            + " removing a question or poll that already has answers is refused."
      })
  static final class Publish implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "FILE", description = "The event file (YAML).")
    Path file;

    @Override
    public Integer call() throws ProvisionException {
      HttpJson client = server.client(ProvisionMain.context(spec));
      EventDefinition event = load(file, spec.commandLine().getErr());
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ProvisionException(
            ProvisionException.REFUSED, "cannot read " + file + " again: " + e.getMessage(), e);
      }
      HttpJson.Answer answer =
          client.postText("/api/admin/events", "application/yaml; charset=utf-8", text);
      JsonNode json = answer.json();
      JsonNode version = json.path("version");
      if (!version.canConvertToLong()) {
        throw client.malformed("POST", "/api/admin/events", "no version");
      }
      String id = json.path("event").asText(event.id());
      String sha = json.path("sha256").asText("");
      String shortSha = sha.length() > 12 ? sha.substring(0, 12) : sha;
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          answer.status() == 201
              ? id + ": published as version " + version.asLong() + " (sha256 " + shortSha + ")"
              : id
                  + ": unchanged, the server already has it as version "
                  + version.asLong()
                  + " (sha256 "
                  + shortSha
                  + ")");
      out.println(summary(event));
      return 0;
    }
  }
}

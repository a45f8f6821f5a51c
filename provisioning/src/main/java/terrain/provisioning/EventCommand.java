// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
    subcommands = {EventCommand.Check.class, EventCommand.Publish.class})
final class EventCommand {

  /** Loads {@code file}; prints every problem on err and throws when there is any. */
  static EventDefinition load(Path file, PrintWriter err, Texts texts) throws ProvisionException {
    try {
      return EventLoader.load(file);
    } catch (EventFileException e) {
      e.problems().forEach(p -> err.println(p));
      int n = e.problems().size();
      throw ProvisionException.refused(texts.get("event.mistakes", n, file));
    }
  }

  /** {@code marche-2026: 3 polls, 12 questions}. */
  static String summary(EventDefinition event, Texts texts) {
    int polls = event.polls().size();
    int questions =
        event.polls().stream().map(Poll::questions).mapToInt(java.util.List::size).sum();
    return texts.get("event.summary", event.id(), polls, questions);
  }

  @Command(name = "check", mixinStandardHelpOptions = true)
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", descriptionKey = "eventFile")
    Path file;

    @Override
    public Integer call() throws ProvisionException {
      Texts texts = ProvisionMain.texts(spec);
      PrintWriter err = spec.commandLine().getErr();
      EventDefinition event = load(file, err, texts);
      // A rule for new files only: the server still reads a version published before it, and
      // decides at publishing whether a version may keep the ids it shared (decision 0072).
      Map<String, List<String>> shared = event.questionIdsInSeveralPolls();
      if (!shared.isEmpty()) {
        shared.forEach(
            (question, polls) ->
                err.println(
                    texts.get(
                        "event.sharedQuestion",
                        file,
                        question,
                        polls.stream()
                            .map(p -> "\"" + p + "\"")
                            .collect(Collectors.joining(", ")))));
        throw ProvisionException.refused(texts.get("event.mistakes", shared.size(), file));
      }
      spec.commandLine().getOut().println(summary(event, texts));
      return 0;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true)
  static final class Publish implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ServerOptions server;

    @Parameters(paramLabel = "FILE", descriptionKey = "eventFile")
    Path file;

    @Override
    public Integer call() throws ProvisionException {
      Texts texts = ProvisionMain.texts(spec);
      HttpJson client = server.client(spec);
      EventDefinition event = load(file, spec.commandLine().getErr(), texts);
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ProvisionException(
            ProvisionException.REFUSED, texts.get("event.readAgain", file, e.getMessage()), e);
      }
      HttpJson.Answer answer =
          client.postText("/api/admin/events", "application/yaml; charset=utf-8", text);
      JsonNode json = answer.json();
      JsonNode version = json.path("version");
      if (!version.canConvertToLong()) {
        throw client.malformed("POST", "/api/admin/events", "malformed.noVersion");
      }
      String id = json.path("event").asText(event.id());
      String sha = json.path("sha256").asText("");
      String shortSha = sha.length() > 12 ? sha.substring(0, 12) : sha;
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          texts.get(
              answer.status() == 201 ? "event.published" : "event.unchanged",
              id,
              version.asLong(),
              shortSha));
      out.println(summary(event, texts));
      return 0;
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.dist.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import terrain.dist.demo.DemoMain;

/**
 * Every line of the benches' and the demo's help is a format string to picocli: a bare {@code %}
 * ("20% of") makes {@code --help} print a warning for each line instead of the text.
 */
class UsageHelpTest {
  @Test
  void everyHelpLine_isAFormatStringPicocliCanRender() {
    List<String> broken = new ArrayList<>();
    int lines = check(new CommandLine(new BenchMain()), broken);
    lines += check(new CommandLine(new DemoMain()), broken);
    assertEquals(List.of(), broken);
    assertTrue(lines > 50, "the walk should reach every subcommand's options, saw " + lines);
  }

  @Test
  void check_findsABarePercentSign() {
    List<String> broken = new ArrayList<>();
    checkLine("bench sync --live", "default: 20% of --responses", broken);
    checkLine("bench sync --live", "default: 20%% of --responses%n", broken);
    assertEquals(List.of("bench sync --live: default: 20% of --responses"), broken);
  }

  /**
   * Walks the annotations themselves: picocli's model formats a description when it is read (and
   * warns there), so only the annotation still holds the text as written.
   */
  private static int check(CommandLine command, List<String> broken) {
    CommandSpec spec = command.getCommandSpec();
    int lines = checkAnnotated(spec.qualifiedName(), spec.userObject().getClass(), broken);
    for (CommandSpec mixin : spec.mixins().values()) {
      lines += checkAnnotated(spec.qualifiedName(), mixin.userObject().getClass(), broken);
    }
    for (CommandLine sub : command.getSubcommands().values()) {
      lines += check(sub, broken);
    }
    return lines;
  }

  private static int checkAnnotated(String name, Class<?> type, List<String> broken) {
    int lines = 0;
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      Command command = c.getAnnotation(Command.class);
      if (command != null) {
        lines += checkLines(name, command.description(), broken);
        lines += checkLines(name, command.header(), broken);
        lines += checkLines(name, command.footer(), broken);
      }
      List<AnnotatedElement> members = new ArrayList<>(List.of(c.getDeclaredFields()));
      members.addAll(List.of(c.getDeclaredMethods()));
      for (AnnotatedElement member : members) {
        Option option = member.getAnnotation(Option.class);
        if (option != null) {
          lines +=
              checkLines(
                  name + " " + String.join("|", option.names()), option.description(), broken);
        }
        Parameters parameters = member.getAnnotation(Parameters.class);
        if (parameters != null) {
          lines +=
              checkLines(name + " " + parameters.paramLabel(), parameters.description(), broken);
        }
      }
    }
    return lines;
  }

  private static int checkLines(String where, String[] lines, List<String> broken) {
    for (String line : lines) {
      checkLine(where, line, broken);
    }
    return lines.length;
  }

  private static void checkLine(String where, String line, List<String> broken) {
    try {
      String.format(Locale.ROOT, line);
    } catch (IllegalFormatException e) {
      broken.add(where + ": " + line);
    }
  }
}

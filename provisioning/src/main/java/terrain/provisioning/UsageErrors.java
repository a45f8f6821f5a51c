// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MutuallyExclusiveArgsException;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line picocli cannot parse, said in the run's language (picocli's own messages are
 * English): what is wrong, then which help to read. Exit code 2.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

  private final Texts texts;

  UsageErrors(Texts texts) {
    this.texts = texts;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(message(ex, command));
    err.println(texts.get("cli.seeHelp", command.getCommandSpec().qualifiedName()));
    err.flush();
    return ProvisionException.USAGE;
  }

  String message(ParameterException ex, CommandLine command) {
    if (ex instanceof MissingParameterException missing) {
      List<ArgSpec> specs = missing.getMissing();
      boolean oneOf =
          specs.size() > 1
              && specs.stream().allMatch(s -> s.group() != null && s.group().exclusive());
      List<String> names = specs.stream().map(UsageErrors::name).toList();
      return oneOf
          ? texts.get("cli.missingOneOf", String.join(" | ", names))
          : texts.get("cli.missing", String.join(", ", names));
    }
    if (ex instanceof UnmatchedArgumentException unmatched) {
      String what = String.join(" ", unmatched.getUnmatched());
      List<String> suggestions = unmatched.getSuggestions();
      return suggestions.isEmpty()
          ? texts.get("cli.unknown", what)
          : texts.get("cli.unknownSuggest", what, String.join(", ", suggestions));
    }
    if (ex instanceof OverwrittenOptionException twice) {
      return texts.get("cli.twice", name(twice.getOverwritten()));
    }
    if (ex instanceof MutuallyExclusiveArgsException) {
      List<String> names =
          command.getCommandSpec().argGroups().stream()
              .filter(ArgGroupSpec::exclusive)
              .flatMap(g -> g.args().stream())
              .map(UsageErrors::name)
              .toList();
      return texts.get("cli.exclusive", String.join(" | ", names));
    }
    if (!command.getSubcommands().isEmpty()
        && command.getParseResult() != null
        && !command.getParseResult().hasSubcommand()
        && ex.getArgSpec() == null) {
      return texts.get("cli.noCommand", String.join(", ", command.getSubcommands().keySet()));
    }
    if (ex.getArgSpec() != null && ex.getValue() != null) {
      return texts.get("cli.badValue", name(ex.getArgSpec()), ex.getValue());
    }
    return texts.get("cli.other", ex.getMessage());
  }

  private static String name(ArgSpec spec) {
    if (spec instanceof OptionSpec option) {
      return option.arity().max == 0
          ? option.longestName()
          : option.longestName() + " " + option.paramLabel();
    }
    return spec.paramLabel();
  }
}

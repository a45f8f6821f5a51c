// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.representer.Representer;
import terrain.core.event.EventFileException.Problem;

/**
 * Reads an event definition from a YAML file written by hand.
 *
 * <p>The file is composed into SnakeYAML's node tree (no object construction, so no arbitrary
 * types) and read key by key: unknown keys, missing or empty values, wrong types, bad ids and
 * duplicates are all reported with their line and column, every one of them, before giving up.
 * {@code examples/events/market-day.yaml} shows every field.
 *
 * <p>This class reads the file and its YAML syntax; {@link EventSection} reads the event from the
 * top down, one reader per section of the file (polls, tickets, ideas, profile).
 */
public final class EventLoader {

  /** Larger than any sensible event file, small enough to refuse a wrong file quickly. */
  static final int MAX_CODE_POINTS = 1_000_000;

  private static final String SYNTAX_HINT =
      "check the indentation (spaces, not tabs) and put any text containing \": \" or \" #\""
          + " between quotes";

  private EventLoader() {}

  /**
   * Reads the event file at {@code file}, which must be UTF-8 text.
   *
   * @throws EventFileException listing every problem, named after {@code file} as given
   */
  public static EventDefinition load(Path file) throws EventFileException {
    Objects.requireNonNull(file, "file must not be null");
    String source = file.toString();
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw fileProblem(source, "there is no such file; check the path and the file name");
    } catch (AccessDeniedException e) {
      throw fileProblem(source, "permission denied; make the file readable by this user");
    } catch (CharacterCodingException e) {
      throw fileProblem(
          source, "the file is not UTF-8 text; save it again with the encoding UTF-8");
    } catch (IOException e) {
      throw fileProblem(source, "cannot read the file: " + e);
    }
    Path parent = file.toAbsolutePath().getParent();
    return parse(yaml, source, parent == null ? Path.of("").toAbsolutePath() : parent);
  }

  /**
   * Reads an event definition from YAML text.
   *
   * @param sourceName names the text in problems, usually the file name
   * @throws EventFileException listing every problem
   */
  public static EventDefinition parse(String yaml, String sourceName) throws EventFileException {
    return parse(yaml, sourceName, null);
  }

  /**
   * Reads an event definition from YAML text whose map images are in {@code baseDir}.
   *
   * @param sourceName names the text in problems, usually the file name
   * @param baseDir the folder of the event file, against which image paths are resolved and
   *     checked; null to keep them as written, unchecked
   * @throws EventFileException listing every problem
   */
  public static EventDefinition parse(String yaml, String sourceName, Path baseDir)
      throws EventFileException {
    Objects.requireNonNull(yaml, "yaml must not be null");
    Objects.requireNonNull(sourceName, "sourceName must not be null");
    String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
    Node root;
    try {
      root = newYaml().compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw syntaxProblem(sourceName, e);
    } catch (YAMLException e) {
      throw fileProblem(
          sourceName,
          "cannot read this as an event file: "
              + e.getMessage()
              + "; an event file is a few kilobytes of YAML, check that this is the right file");
    }
    if (root == null || NodeReader.isEmpty(root)) {
      throw new EventFileException(
          List.of(
              new Problem(
                  sourceName,
                  1,
                  1,
                  "the file is empty; write the event definition in it"
                      + " (start from a copy of examples/events/market-day.yaml)")));
    }
    NodeReader reader = new NodeReader(sourceName);
    EventDefinition event = new EventSection(reader, baseDir).event(root);
    if (reader.hasProblems()) {
      throw new EventFileException(reader.problems());
    }
    if (event == null) {
      throw new IllegalStateException("no event read from " + sourceName + " and no problem found");
    }
    return event;
  }

  private static Yaml newYaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setNestingDepthLimit(20);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setProcessComments(false);
    options.setTagInspector(tag -> false);
    DumperOptions dumperOptions = new DumperOptions();
    return new Yaml(
        new SafeConstructor(options), new Representer(dumperOptions), dumperOptions, options);
  }

  private static EventFileException fileProblem(String source, String message) {
    return new EventFileException(List.of(new Problem(source, 0, 0, message)));
  }

  private static EventFileException syntaxProblem(String source, MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    int line = mark == null ? 0 : mark.getLine() + 1;
    int column = mark == null ? 0 : mark.getColumn() + 1;
    String problem = e.getProblem() != null ? e.getProblem() : "the text cannot be read as YAML";
    String message;
    if (problem.startsWith("Global tag is not allowed")) {
      message =
          "YAML tags (words starting with !!) are not allowed in an event file; remove the tag";
    } else if (problem.equals("but found another document")) {
      message =
          "a second YAML document starts here, after \"---\"; an event file holds one event:"
              + " remove this line and what follows, or move it to its own file";
    } else {
      Mark contextMark = e.getContextMark();
      boolean contextElsewhere =
          e.getContext() != null
              && contextMark != null
              && (mark == null || contextMark.getLine() != mark.getLine());
      message =
          "YAML syntax error: "
              + problem
              + (contextElsewhere
                  ? " ("
                      + e.getContext()
                      + " that starts at line "
                      + (contextMark.getLine() + 1)
                      + ")"
                  : "")
              + "; "
              + SYNTAX_HINT;
    }
    return new EventFileException(List.of(new Problem(source, line, column, message)));
  }
}

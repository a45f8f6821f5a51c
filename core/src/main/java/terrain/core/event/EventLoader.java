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
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;
import terrain.core.event.EventFileException.Problem;
import terrain.core.event.NodeReader.Fields;

/**
 * Reads an event definition from a YAML file written by hand.
 *
 * <p>The file is composed into SnakeYAML's node tree (no object construction, so no arbitrary
 * types) and read key by key: unknown keys, missing or empty values, wrong types, bad ids and
 * duplicates are all reported with their line and column, every one of them, before giving up.
 * {@code examples/events/market-day.yaml} shows every field.
 */
public final class EventLoader {

  /** Larger than any sensible event file, small enough to refuse a wrong file quickly. */
  static final int MAX_CODE_POINTS = 1_000_000;

  private static final List<String> EVENT_KEYS =
      List.of(
          "id",
          "title",
          "place",
          "date",
          "rewards",
          "tickets",
          "timeouts",
          "polls",
          "ideas",
          "profile");
  private static final List<String> POLL_KEYS = List.of("id", "title", "questions");
  private static final List<String> QUESTION_KEYS =
      List.of("id", "kind", "text", "options", "max", "labels", "image", "zones", "maxLength");
  private static final List<String> ZONE_KEYS = List.of("id", "fr", "en", "ar", "area");
  private static final List<String> OPTION_KEYS = List.of("id", "fr", "en", "ar");
  private static final List<String> TEXT_KEYS = List.of("fr", "en", "ar");
  private static final List<String> TIMEOUT_KEYS = List.of("inactivity", "countdown");
  private static final List<String> TICKET_KEYS = List.of("expiry", "perDeviceCap", "goldenOdds");
  private static final List<String> SCALE_POINTS = List.of("1", "2", "3", "4", "5");

  private static final List<String> IDEAS_KEYS = List.of("enabled", "prompt", "themes");
  private static final List<String> PROFILE_KEYS = List.of("ageBands", "neighbourhoods");
  private static final String IDEAS_EXAMPLE =
      "ideas: {enabled: true, themes: [{id: commerces, fr: \"Commerces\", en: \"Shops\"}]}";
  private static final String PROFILE_EXAMPLE =
      "profile: {neighbourhoods: [{id: saint-michel, fr: \"Saint-Michel\"}]}";
  private static final String TEXT_EXAMPLE = "{fr: \"...\", en: \"...\"}";
  private static final String SYNTAX_HINT =
      "check the indentation (spaces, not tabs) and put any text containing \": \" or \" #\""
          + " between quotes";

  private final NodeReader reader;

  /** Where map images are looked for; null when reading text that is not in a file. */
  private final Path baseDir;

  private EventLoader(NodeReader reader, Path baseDir) {
    this.reader = reader;
    this.baseDir = baseDir;
  }

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
    EventDefinition event = new EventLoader(reader, baseDir).event(root);
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

  // The event file, from the top down.

  private EventDefinition event(Node root) {
    String context = "event";
    Fields f =
        reader.map(
            root,
            context,
            "the file must be a map of keys like \"id: ...\", \"title: ...\", \"polls: ...\"",
            EVENT_KEYS);
    if (f == null) {
      return null;
    }
    String id = id(f, "id: marche-2026-11-28");
    LocalizedText title =
        localized(reader.required(f, "title", "title: " + TEXT_EXAMPLE), context, "title");
    String place =
        reader.text(
            reader.required(f, "place", "place: \"Place Saint-Michel, Bordeaux\""),
            context,
            "place");
    LocalDate date = date(reader.required(f, "date", "date: 2026-11-28"), context);
    Node rewardsNode = reader.optional(f, "rewards", "rewards: {response: 2, idea: 1}");
    Rewards rewards = f.has("rewards") ? rewards(rewardsNode) : Rewards.none();
    Node timeoutsNode =
        reader.optional(f, "timeouts", "timeouts: {inactivity: 60s, countdown: 15s}");
    Timeouts timeouts = f.has("timeouts") ? timeouts(timeoutsNode) : Timeouts.defaults();
    Node ticketsNode =
        reader.optional(
            f, "tickets", "tickets: {expiry: 180d, perDeviceCap: 500, goldenOdds: 1/200}");
    TicketRules tickets = f.has("tickets") ? tickets(ticketsNode) : TicketRules.defaults();
    List<Poll> polls = polls(f, context);
    Node ideasNode = reader.optional(f, "ideas", IDEAS_EXAMPLE);
    IdeaSettings ideas = f.has("ideas") ? ideas(ideasNode) : IdeaSettings.disabled();
    Node profileNode = reader.optional(f, "profile", PROFILE_EXAMPLE);
    Optional<ProfileSettings> profile = f.has("profile") ? profile(profileNode) : Optional.empty();
    if (id == null
        || ideas == null
        || profile == null
        || title == null
        || place == null
        || date == null
        || rewards == null
        || timeouts == null
        || tickets == null
        || polls == null) {
      return null;
    }
    return reader.build(
        root,
        context,
        () ->
            new EventDefinition(
                id, title, place, date, polls, rewards, timeouts, tickets, ideas, profile));
  }

  private List<Poll> polls(Fields event, String context) {
    Node node =
        reader.required(event, "polls", "polls: with a list of polls, each starting \"- id:\"");
    List<Node> items =
        reader.list(node, context, "polls must be a list, each poll starting with \"- id: ...\"");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      reader.report(node, context, "polls is empty; add at least one poll");
      return null;
    }
    Map<String, Node> seen = new HashMap<>();
    List<Poll> polls = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < items.size(); i++) {
      Poll poll = poll(items.get(i), i + 1, context, seen);
      complete &= poll != null;
      polls.add(poll);
    }
    return complete ? polls : null;
  }

  private Poll poll(Node node, int number, String eventContext, Map<String, Node> seen) {
    String context = label("poll", node, number);
    Fields f =
        reader.map(
            node, context, "each poll must be a map with id, title and questions", POLL_KEYS);
    if (f == null) {
      return null;
    }
    String id = unique(f, id(f, "id: marche"), seen, eventContext, "poll");
    LocalizedText title =
        localized(reader.required(f, "title", "title: " + TEXT_EXAMPLE), context, "title");
    List<Question> questions = questions(f, context);
    if (id == null || title == null || questions == null) {
      return null;
    }
    return reader.build(node, context, () -> new Poll(id, title, questions));
  }

  private List<Question> questions(Fields poll, String context) {
    Node node =
        reader.required(
            poll, "questions", "questions: with a list of questions, each starting \"- id:\"");
    List<Node> items =
        reader.list(
            node, context, "questions must be a list, each question starting with \"- id: ...\"");
    if (items == null) {
      return null;
    }
    if (items.isEmpty()) {
      reader.report(node, context, "questions is empty; add at least one question");
      return null;
    }
    Map<String, Node> seen = new HashMap<>();
    List<Question> questions = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < items.size(); i++) {
      Question question = question(items.get(i), i + 1, context, seen);
      complete &= question != null;
      questions.add(question);
    }
    return complete ? questions : null;
  }

  private Question question(Node node, int number, String pollContext, Map<String, Node> seen) {
    String context = label("question", node, number);
    Fields f =
        reader.map(
            node,
            context,
            "each question must be a map with id, kind, text and (for single and multiple)"
                + " options",
            QUESTION_KEYS);
    if (f == null) {
      return null;
    }
    String id = notReserved(f, unique(f, id(f, "id: transport"), seen, pollContext, "question"));
    QuestionKind kind = kind(f, context);
    LocalizedText text =
        localized(reader.required(f, "text", "text: " + TEXT_EXAMPLE), context, "text");
    if (kind == null) {
      // Still read what can be read, to report all the problems of the file at once.
      if (f.has("options")) {
        options(f, context);
      }
      if (f.has("labels")) {
        labels(f, context);
      }
      if (f.has("max")) {
        reader.wholeNumber(reader.optional(f, "max", "max: 2"), context, "max", "2");
      }
      return null;
    }
    if (kind != QuestionKind.MAP) {
      notFor(f, context, "image", "image is only for kind map; remove it");
      notFor(f, context, "zones", "zones are only for kind map; remove them");
    }
    if (kind != QuestionKind.TEXT) {
      notFor(f, context, "maxLength", "maxLength is only for kind text; remove it");
    }
    return switch (kind) {
      case SINGLE -> {
        notFor(f, context, "max", "max is only for kinds multiple and ranking; remove it");
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        List<AnswerOption> options = options(f, context);
        yield id == null || text == null || options == null
            ? null
            : reader.build(node, context, () -> Question.single(id, text, options));
      }
      case MULTIPLE -> {
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        List<AnswerOption> options = options(f, context);
        Integer max = max(f, context, options);
        yield id == null || text == null || options == null || max == null
            ? null
            : reader.build(node, context, () -> Question.multiple(id, text, options, max));
      }
      case SCALE -> {
        notFor(
            f,
            context,
            "options",
            "a scale question has the options 1 to 5 already; remove \"options\""
                + " (to name the points, write labels: {1: {fr: ..., en: ...}, 5: ...})");
        notFor(f, context, "max", "max is only for kinds multiple and ranking; remove it");
        Map<Integer, LocalizedText> labels = f.has("labels") ? labels(f, context) : Map.of();
        yield id == null || text == null || labels == null
            ? null
            : reader.build(node, context, () -> Question.scale(id, text, labels));
      }
      case YES_NO -> {
        notFor(
            f,
            context,
            "options",
            "a yesno question has the options yes (Oui) and no (Non) already; remove \"options\"");
        notFor(f, context, "max", "max is only for kinds multiple and ranking; remove it");
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        yield id == null || text == null
            ? null
            : reader.build(node, context, () -> Question.yesNo(id, text));
      }
      case RANKING -> {
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        List<AnswerOption> options = options(f, context);
        Integer max = rankMax(f, context, options);
        yield id == null || text == null || options == null || max == null
            ? null
            : reader.build(node, context, () -> Question.ranking(id, text, options, max));
      }
      case MAP -> {
        notFor(
            f,
            context,
            "options",
            "a map question is answered on its map; name its zones under \"zones\" instead of"
                + " \"options\"");
        notFor(f, context, "max", "max is only for kinds multiple and ranking; remove it");
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        Path image = image(f, context);
        List<MapSpec.Zone> zones = new ArrayList<>();
        List<LocalizedText> names = new ArrayList<>();
        boolean zonesRead = !f.has("zones") || zones(f, context, zones, names);
        yield id == null || text == null || image == null || !zonesRead
            ? null
            : reader.build(
                node, context, () -> Question.map(id, text, new MapSpec(image, zones), names));
      }
      case TEXT -> {
        notFor(
            f,
            context,
            "options",
            "a text question is answered by typing; remove \"options\" (or use kind single)");
        notFor(
            f,
            context,
            "max",
            "for a text question, write the most characters as maxLength: 140; remove max");
        notFor(f, context, "labels", "labels are only for kind scale; remove them");
        Integer maxLength = maxLength(f, context);
        yield id == null || text == null || maxLength == null
            ? null
            : reader.build(node, context, () -> Question.text(id, text, maxLength));
      }
    };
  }

  private Integer rankMax(Fields question, String context, List<AnswerOption> options) {
    int count = question.value("options") instanceof SequenceNode list ? list.getValue().size() : 0;
    int limit = Math.min(count, Question.MAX_RANKED);
    if (!question.has("max")) {
      return options == null ? null : Math.min(options.size(), Question.MAX_RANKED);
    }
    Node node = reader.optional(question, "max", "max: 3");
    Integer max = reader.wholeNumber(node, context, "max", "3");
    if (max == null || count == 0) {
      return null;
    }
    if (max < 1 || max > limit) {
      reader.report(
          node,
          context,
          "max is "
              + max
              + " but a resident can rank at most "
              + limit
              + (count > Question.MAX_RANKED
                  ? " (a ranking stops at " + Question.MAX_RANKED + ")"
                  : " (the question has " + count + " options)")
              + "; write a number from 1 to "
              + limit);
      return null;
    }
    return options == null ? null : max;
  }

  private Integer maxLength(Fields question, String context) {
    if (!question.has("maxLength")) {
      return Question.DEFAULT_TEXT_LENGTH;
    }
    Node node = reader.optional(question, "maxLength", "maxLength: 140");
    Integer max = reader.wholeNumber(node, context, "maxLength", "140");
    if (max == null) {
      return null;
    }
    if (max < 1 || max > Question.MAX_TEXT_LENGTH) {
      reader.report(
          node,
          context,
          "maxLength is "
              + max
              + "; write a number of characters from 1 to "
              + Question.MAX_TEXT_LENGTH
              + " (140 is a good length for a kiosk)");
      return null;
    }
    return max;
  }

  /** The map image, resolved and checked when the file's folder is known. */
  private Path image(Fields question, String context) {
    Node node =
        reader.required(
            question, "image", "image: quartier.png (a PNG or JPEG next to the event file)");
    String written = reader.text(node, context, "image");
    if (written == null) {
      return null;
    }
    Path path;
    try {
      path = Path.of(written.strip());
    } catch (java.nio.file.InvalidPathException e) {
      reader.report(node, context, "image \"" + written + "\" is not a valid file path");
      return null;
    }
    if (baseDir == null) {
      return path;
    }
    Path resolved = baseDir.resolve(path).normalize();
    if (!Files.isRegularFile(resolved)) {
      reader.report(
          node,
          context,
          "image \""
              + written
              + "\" is not found (looked for "
              + resolved
              + "); put the picture next to the event file or fix the path, which is relative"
              + " to the event file's folder");
      return null;
    }
    byte[] head = new byte[8];
    int read;
    try (var in = Files.newInputStream(resolved)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      reader.report(node, context, "image \"" + written + "\" cannot be read: " + e);
      return null;
    }
    boolean png =
        read == 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
    boolean jpeg = read >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8;
    if (!png && !jpeg) {
      reader.report(
          node,
          context,
          "image \""
              + written
              + "\" is not a PNG or JPEG picture; export the map as PNG (or JPEG)");
      return null;
    }
    return resolved;
  }

  /** Reads the zones into {@code zones} and {@code names}; false after reporting a problem. */
  private boolean zones(
      Fields question, String context, List<MapSpec.Zone> zones, List<LocalizedText> names) {
    Node node =
        reader.optional(
            question,
            "zones",
            "zones: with a list like - {id: marche, fr: \"Le marché\", area: [10, 20, 40, 50]}");
    List<Node> items =
        reader.list(
            node,
            context,
            "zones must be a list, one \"- {id: ..., fr: ..., en: ..., area: [left, top, right,"
                + " bottom]}\" per line");
    if (items == null) {
      return false;
    }
    Map<String, Node> seen = new HashMap<>();
    boolean complete = true;
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String zoneContext = context + ", " + label("zone", item, i + 1);
      Fields f =
          reader.map(
              item,
              zoneContext,
              "each zone must be a map like {id: marche, fr: \"Le marché\", en: \"The market\","
                  + " area: [10, 20, 40, 50]}",
              ZONE_KEYS);
      if (f == null) {
        complete = false;
        continue;
      }
      String id = unique(f, id(f, "id: marche"), seen, context, "zone");
      String fr =
          reader.text(
              reader.required(f, "fr", "fr: \"...\" with the French name of the zone"),
              zoneContext,
              "fr");
      String en =
          reader.text(
              reader.optional(f, "en", "en: \"...\" with the English name of the zone"),
              zoneContext,
              "en");
      String ar =
          reader.text(
              reader.optional(f, "ar", "ar: \"...\" with the Arabic name of the zone"),
              zoneContext,
              "ar");
      int[] area = area(f, zoneContext);
      if (id == null
          || fr == null
          || (f.has("en") && en == null)
          || (f.has("ar") && ar == null)
          || area == null) {
        complete = false;
        continue;
      }
      MapSpec.Zone zone =
          reader.build(
              item, zoneContext, () -> new MapSpec.Zone(id, area[0], area[1], area[2], area[3]));
      if (zone == null) {
        complete = false;
        continue;
      }
      zones.add(zone);
      names.add(LocalizedText.of(fr, en, ar));
    }
    return complete;
  }

  /** {@code area: [left, top, right, bottom]} in percent, as per mille; null after reporting. */
  private int[] area(Fields zone, String context) {
    String example = "area: [10, 20, 40, 50] (left, top, right, bottom, in % of the map)";
    Node node = reader.required(zone, "area", example);
    List<Node> items = reader.list(node, context, "area must be a list like [10, 20, 40, 50]");
    if (items == null) {
      return null;
    }
    if (items.size() != 4) {
      reader.report(
          node,
          context,
          "area has "
              + items.size()
              + " numbers; write 4: left, top, right, bottom, in % of the map's width and"
              + " height, like [10, 20, 40, 50]");
      return null;
    }
    String[] names = {"left", "top", "right", "bottom"};
    int[] perMille = new int[4];
    boolean complete = true;
    for (int i = 0; i < 4; i++) {
      Node item = items.get(i);
      String written = reader.text(item, context, "area " + names[i]);
      if (written == null) {
        complete = false;
        continue;
      }
      double percent;
      try {
        percent = Double.parseDouble(written.strip());
      } catch (NumberFormatException e) {
        percent = Double.NaN;
      }
      if (!(percent >= 0 && percent <= 100)) {
        reader.report(
            item,
            context,
            "area "
                + names[i]
                + " is \""
                + written
                + "\"; write a percentage of the map from 0 to 100");
        complete = false;
        continue;
      }
      perMille[i] = (int) Math.round(percent * 10);
    }
    if (!complete) {
      return null;
    }
    if (perMille[0] >= perMille[2] || perMille[1] >= perMille[3]) {
      reader.report(
          node,
          context,
          "area [left, top, right, bottom] must have left < right and top < bottom (0, 0 is the"
              + " top left corner of the map); swap the numbers");
      return null;
    }
    return perMille;
  }

  private QuestionKind kind(Fields question, String context) {
    Node node =
        reader.required(
            question, "kind", "kind: single (or multiple, scale, yesno, ranking, map, text)");
    String name = reader.text(node, context, "kind");
    if (name == null) {
      return null;
    }
    Optional<QuestionKind> kind = QuestionKind.fromYaml(name);
    if (kind.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (QuestionKind k : QuestionKind.values()) {
        names.add(k.yamlName());
      }
      reader.report(
          node,
          context,
          "kind \""
              + name
              + "\" is not one of "
              + QuestionKind.yamlNames()
              + NodeReader.closest(name, names)
                  .map(c -> " (did you mean \"" + c + "\"?)")
                  .orElse(""));
      return null;
    }
    return kind.get();
  }

  private void notFor(Fields question, String context, String key, String message) {
    if (question.has(key)) {
      reader.report(question.keyNode(key), context, message);
    }
  }

  private List<AnswerOption> options(Fields question, String context) {
    Node node =
        reader.required(
            question,
            "options",
            "options: with a list like - {id: pied, fr: \"À pied\", en: \"On foot\"}");
    List<Node> items =
        reader.list(
            node,
            context,
            "options must be a list, one \"- {id: ..., fr: ..., en: ...}\" per line");
    if (items == null) {
      return null;
    }
    Map<String, Node> seen = new HashMap<>();
    List<AnswerOption> options = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < items.size(); i++) {
      AnswerOption option = option(items.get(i), i + 1, context, seen);
      complete &= option != null;
      options.add(option);
    }
    if (complete && options.size() < 2) {
      reader.report(
          node,
          context,
          "a question needs at least 2 options, this one has "
              + options.size()
              + "; add options, or use kind yesno");
      return null;
    }
    return complete ? options : null;
  }

  private AnswerOption option(
      Node node, int number, String questionContext, Map<String, Node> seen) {
    return option(node, number, questionContext, seen, "option");
  }

  private AnswerOption option(
      Node node, int number, String questionContext, Map<String, Node> seen, String what) {
    String context = questionContext + ", " + label(what, node, number);
    Fields f =
        reader.map(
            node,
            context,
            "each " + what + " must be a map like {id: pied, fr: \"À pied\", en: \"On foot\"}",
            OPTION_KEYS);
    if (f == null) {
      return null;
    }
    String id = unique(f, id(f, "id: pied"), seen, questionContext, what);
    String fr =
        reader.text(reader.required(f, "fr", "fr: \"...\" with the French label"), context, "fr");
    String en =
        reader.text(reader.optional(f, "en", "en: \"...\" with the English label"), context, "en");
    String ar =
        reader.text(reader.optional(f, "ar", "ar: \"...\" with the Arabic label"), context, "ar");
    if (id == null || fr == null || (f.has("en") && en == null) || (f.has("ar") && ar == null)) {
      return null;
    }
    return reader.build(node, context, () -> new AnswerOption(id, LocalizedText.of(fr, en, ar)));
  }

  private Integer max(Fields question, String context, List<AnswerOption> options) {
    Node node = reader.optional(question, "max", "max: 2");
    if (!question.has("max")) {
      return options == null ? null : options.size();
    }
    Integer max = reader.wholeNumber(node, context, "max", "2");
    // Counted on the list as written, so that max is checked even when an option is wrong.
    int count = question.value("options") instanceof SequenceNode list ? list.getValue().size() : 0;
    if (max == null || count == 0) {
      return null;
    }
    if (max < 1 || max > count) {
      reader.report(
          node,
          context,
          "max is "
              + max
              + " but the question has "
              + count
              + " options; write a number from 1 to "
              + count);
      return null;
    }
    return options == null ? null : max;
  }

  private Map<Integer, LocalizedText> labels(Fields question, String context) {
    Node node = reader.optional(question, "labels", "labels: {1: " + TEXT_EXAMPLE + ", 5: ...}");
    String labelsContext = context + ", labels";
    Fields f =
        reader.map(
            node,
            labelsContext,
            "must be a map from points of the scale to texts, like {1: "
                + TEXT_EXAMPLE
                + ", 5: ...}",
            SCALE_POINTS);
    if (f == null) {
      return null;
    }
    Map<Integer, LocalizedText> labels = new LinkedHashMap<>();
    boolean complete = true;
    for (Map.Entry<String, Node> entry : f.values().entrySet()) {
      Node value = reader.required(f, entry.getKey(), entry.getKey() + ": " + TEXT_EXAMPLE);
      LocalizedText label = localized(value, labelsContext, entry.getKey());
      complete &= label != null;
      labels.put(Integer.parseInt(entry.getKey()), label);
    }
    return complete ? labels : null;
  }

  private Rewards rewards(Node node) {
    String context = "rewards";
    Fields f =
        reader.map(
            node,
            context,
            "must be a map of briqs per action, like {response: 2, idea: 1}",
            Rewards.ACTIONS);
    if (f == null) {
      return null;
    }
    Map<String, Integer> briqs = new LinkedHashMap<>();
    boolean complete = true;
    for (String action : f.values().keySet()) {
      Integer amount =
          reader.wholeNumber(reader.required(f, action, action + ": 2"), context, action, "2");
      if (amount != null && amount < 0) {
        reader.report(
            f.value(action), context, action + " is " + amount + "; write 0 or more briqs");
        amount = null;
      }
      complete &= amount != null;
      briqs.put(action, amount);
    }
    return complete ? reader.build(node, context, () -> new Rewards(briqs)) : null;
  }

  private Timeouts timeouts(Node node) {
    String context = "timeouts";
    Fields f =
        reader.map(
            node, context, "must be a map like {inactivity: 60s, countdown: 15s}", TIMEOUT_KEYS);
    if (f == null) {
      return null;
    }
    Duration inactivity =
        f.has("inactivity")
            ? duration(reader.optional(f, "inactivity", "inactivity: 60s"), context, "inactivity")
            : Timeouts.DEFAULT_INACTIVITY;
    Duration countdown =
        f.has("countdown")
            ? duration(reader.optional(f, "countdown", "countdown: 15s"), context, "countdown")
            : Timeouts.DEFAULT_COUNTDOWN;
    if (inactivity == null || countdown == null) {
      return null;
    }
    return reader.build(node, context, () -> new Timeouts(inactivity, countdown));
  }

  private TicketRules tickets(Node node) {
    String context = "tickets";
    Fields f =
        reader.map(
            node,
            context,
            "must be a map like {expiry: 180d, perDeviceCap: 500, goldenOdds: 1/200}",
            TICKET_KEYS);
    if (f == null) {
      return null;
    }
    Integer days = TicketRules.DEFAULT_VALIDITY_DAYS;
    if (f.has("expiry")) {
      Node expiry = reader.optional(f, "expiry", "expiry: 180d");
      String text = reader.text(expiry, context, "expiry");
      days = text == null ? null : TicketRules.parseDays(text).orElse(null);
      if (text != null && (days == null || days < 1 || days > TicketRules.MAX_VALIDITY_DAYS)) {
        reader.report(
            expiry,
            context,
            "expiry \""
                + text
                + "\" is not a number of days; write it like 180d (1d to "
                + TicketRules.MAX_VALIDITY_DAYS
                + "d)");
        days = null;
      }
    }
    Integer cap = TicketRules.NO_CAP;
    if (f.has("perDeviceCap")) {
      Node capNode = reader.optional(f, "perDeviceCap", "perDeviceCap: 500");
      cap = reader.wholeNumber(capNode, context, "perDeviceCap", "500");
      if (cap != null && cap < 0) {
        reader.report(capNode, context, "perDeviceCap is " + cap + "; write 0 or more tickets");
        cap = null;
      }
    }
    TicketRules.GoldenOdds odds = TicketRules.GoldenOdds.never();
    if (f.has("goldenOdds")) {
      Node oddsNode = reader.optional(f, "goldenOdds", "goldenOdds: 1/200");
      String text = reader.text(oddsNode, context, "goldenOdds");
      odds = text == null ? null : TicketRules.GoldenOdds.parse(text).orElse(null);
      if (text != null && odds == null) {
        reader.report(
            oddsNode,
            context,
            "goldenOdds \""
                + text
                + "\" is not a chance; write it like 1/200 (one ticket in 200), or 0 for none");
      }
    }
    if (days == null || cap == null || odds == null) {
      return null;
    }
    int validity = days;
    int perDevice = cap;
    TicketRules.GoldenOdds golden = odds;
    return reader.build(node, context, () -> new TicketRules(validity, perDevice, golden));
  }

  private IdeaSettings ideas(Node node) {
    String context = "ideas";
    Fields f =
        reader.map(
            node,
            context,
            "must be a map like {enabled: true, themes: [{id: ..., fr: ..., en: ...}]}",
            IDEAS_KEYS);
    if (f == null) {
      return null;
    }
    Boolean enabled = Boolean.TRUE;
    if (f.has("enabled")) {
      Node enabledNode = reader.optional(f, "enabled", "enabled: true");
      String text = reader.text(enabledNode, context, "enabled");
      enabled =
          text == null
              ? null
              : switch (text.strip()) {
                case "true", "yes", "oui" -> Boolean.TRUE;
                case "false", "no", "non" -> Boolean.FALSE;
                default -> null;
              };
      if (text != null && enabled == null) {
        reader.report(
            enabledNode,
            context,
            "enabled is \"" + text + "\"; write true (show the idea screen) or false (skip it)");
      }
    }
    List<AnswerOption> themes = List.of();
    if (f.has("themes")) {
      themes =
          choices(
              reader.optional(f, "themes", "themes: with a list of {id: ..., fr: ..., en: ...}"),
              context,
              "themes",
              "theme",
              IdeaSettings.MAX_THEMES,
              0);
    }
    Optional<LocalizedText> prompt = Optional.empty();
    if (f.has("prompt")) {
      LocalizedText text =
          localized(reader.optional(f, "prompt", "prompt: " + TEXT_EXAMPLE), context, "prompt");
      prompt = text == null ? null : Optional.of(text);
    }
    if (enabled == null || themes == null || prompt == null) {
      return null;
    }
    boolean on = enabled;
    Optional<LocalizedText> question = prompt;
    List<AnswerOption> list = themes;
    return reader.build(node, context, () -> new IdeaSettings(on, question, list));
  }

  private Optional<ProfileSettings> profile(Node node) {
    String context = "profile";
    Fields f =
        reader.map(
            node,
            context,
            "must be a map like {ageBands: [...], neighbourhoods: [{id: ..., fr: ..., en: ...}]}",
            PROFILE_KEYS);
    if (f == null) {
      return null;
    }
    List<AnswerOption> ages = ProfileSettings.DEFAULT_AGE_BANDS;
    if (f.has("ageBands")) {
      ages =
          choices(
              reader.optional(
                  f, "ageBands", "ageBands: with a list of {id: ..., fr: ..., en: ...}"),
              context,
              "ageBands",
              "age band",
              ProfileSettings.MAX_CHOICES,
              2);
    }
    List<AnswerOption> areas = List.of();
    if (f.has("neighbourhoods")) {
      areas =
          choices(
              reader.optional(
                  f,
                  "neighbourhoods",
                  "neighbourhoods: with a list of {id: ..., fr: ..., en: ...}"),
              context,
              "neighbourhoods",
              "neighbourhood",
              ProfileSettings.MAX_CHOICES,
              0);
    }
    if (ages == null || areas == null) {
      return null;
    }
    List<AnswerOption> bands = ages;
    List<AnswerOption> places = areas;
    ProfileSettings settings =
        reader.build(node, context, () -> new ProfileSettings(bands, places));
    return settings == null ? null : Optional.of(settings);
  }

  /** A list of {@code {id, fr, en}} with unique ids, between {@code min} and {@code max} long. */
  private List<AnswerOption> choices(
      Node node, String context, String key, String what, int max, int min) {
    List<Node> items =
        reader.list(
            node, context, key + " must be a list, one \"- {id: ..., fr: ..., en: ...}\" per line");
    if (items == null) {
      return null;
    }
    if (items.size() < min || items.size() > max) {
      reader.report(
          node,
          context,
          key
              + " has "
              + items.size()
              + " items; give "
              + (min == 0 ? "at most " + max : min + " to " + max));
      return null;
    }
    Map<String, Node> seen = new HashMap<>();
    List<AnswerOption> out = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < items.size(); i++) {
      AnswerOption option = option(items.get(i), i + 1, context, seen, what);
      complete &= option != null;
      out.add(option);
    }
    return complete ? out : null;
  }

  /** {@code id}, or null after reporting that it starts with the profile's reserved prefix. */
  private String notReserved(Fields question, String id) {
    if (id != null && ProfileSettings.isReserved(id)) {
      reader.report(
          question.value("id"),
          question.context(),
          "question ids starting with \""
              + ProfileSettings.RESERVED_PREFIX
              + "\" are kept for the \"who are you\" screen; choose another id");
      return null;
    }
    return id;
  }

  private Duration duration(Node node, String context, String what) {
    String text = reader.text(node, context, what);
    if (text == null) {
      return null;
    }
    Optional<Duration> duration = Timeouts.parseDuration(text);
    if (duration.isEmpty()) {
      reader.report(
          node,
          context,
          text.strip().matches("\\d+")
              ? what + " \"" + text + "\" needs a unit; write " + text.strip() + "s for seconds"
              : what + " \"" + text + "\" is not a duration; write it like 60s, 2m or 1m30s");
      return null;
    }
    if (duration.get().isZero()) {
      reader.report(node, context, what + " is zero; write a duration longer than 0s, like 60s");
      return null;
    }
    return duration.get();
  }

  private LocalDate date(Node node, String context) {
    String text = reader.text(node, context, "date");
    if (text == null) {
      return null;
    }
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      reader.report(
          node,
          context,
          "date \"" + text + "\" is not a date; write it as year-month-day, like 2026-11-28");
      return null;
    }
  }

  /** A text in French and English written {@code {fr: ..., en: ...}}, or only French text. */
  private LocalizedText localized(Node node, String context, String what) {
    if (node == null) {
      return null;
    }
    if (node instanceof ScalarNode) {
      String fr = reader.text(node, context, what);
      return fr == null ? null : LocalizedText.of(fr);
    }
    if (!(node instanceof MappingNode)) {
      reader.report(
          node,
          context,
          what
              + " must be "
              + TEXT_EXAMPLE
              + " or a French text, but it is "
              + NodeReader.describe(node));
      return null;
    }
    String textContext = context + ", " + what;
    Fields f = reader.map(node, textContext, what + " must be " + TEXT_EXAMPLE, TEXT_KEYS);
    String fr =
        reader.text(
            reader.required(f, "fr", "fr: \"...\" with the French text"), textContext, "fr");
    String en =
        reader.text(
            reader.optional(f, "en", "en: \"...\" with the English text"), textContext, "en");
    String ar =
        reader.text(
            reader.optional(f, "ar", "ar: \"...\" with the Arabic text"), textContext, "ar");
    if (fr == null || (f.has("en") && en == null) || (f.has("ar") && ar == null)) {
      return null;
    }
    return reader.build(node, textContext, () -> LocalizedText.of(fr, en, ar));
  }

  /** The id of a map, checked against the id rule, or null after reporting why not. */
  private String id(Fields f, String example) {
    Node node = reader.required(f, "id", example);
    String id = reader.text(node, f.context(), "id");
    if (id == null) {
      return null;
    }
    if (!Ids.isValid(id)) {
      reader.report(
          node,
          f.context(),
          "id \""
              + id
              + "\" is not allowed: use "
              + Ids.RULE
              + Ids.suggest(id).map(s -> ", like \"" + s + "\"").orElse(""));
      return null;
    }
    return id;
  }

  /** {@code id}, or null after reporting that an earlier sibling has it already. */
  private String unique(Fields f, String id, Map<String, Node> seen, String context, String what) {
    if (id == null) {
      return null;
    }
    Node node = f.value("id");
    Node first = seen.putIfAbsent(id, node);
    if (first != null) {
      reader.report(
          node,
          context,
          what
              + " id \""
              + id
              + "\" is used twice (first at line "
              + NodeReader.line(first)
              + "); give each "
              + what
              + " its own id");
      return null;
    }
    return id;
  }

  /** {@code question "venue"}, or {@code question 2} when it has no readable id. */
  private static String label(String what, Node node, int number) {
    String id = NodeReader.rawText(node, "id");
    return id == null ? what + " " + number : what + " \"" + id + "\"";
  }
}

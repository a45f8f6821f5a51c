// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import terrain.core.event.NodeReader.Fields;

/**
 * Reads the top of an event file: its id, title, place, date and kiosk timeouts, and hands each
 * other section (polls, tickets and rewards, ideas, profile) to its reader.
 */
final class EventSection {

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
          "profile",
          "workshop",
          "population");
  private static final List<String> TIMEOUT_KEYS = List.of("inactivity", "countdown");

  private final NodeReader reader;
  private final IdReader ids;
  private final LocalizedReader texts;
  private final PollsSection polls;
  private final TicketsSection tickets;
  private final IdeasSection ideas;
  private final ProfileSection profile;
  private final WorkshopSection workshop;
  private final PopulationSection population;

  /**
   * @param baseDir the folder of the event file, against which map images are resolved; null to
   *     keep them as written, unchecked
   */
  EventSection(NodeReader reader, Path baseDir) {
    this.reader = reader;
    this.ids = new IdReader(reader);
    this.texts = new LocalizedReader(reader);
    ChoicesReader choices = new ChoicesReader(reader, ids, texts);
    MapSection maps = new MapSection(reader, ids, texts, baseDir);
    this.polls =
        new PollsSection(
            reader, ids, texts, new QuestionSection(reader, ids, texts, choices, maps));
    this.tickets = new TicketsSection(reader);
    this.ideas = new IdeasSection(reader, texts, choices);
    this.profile = new ProfileSection(reader, choices);
    this.workshop = new WorkshopSection(reader, texts, ids);
    this.population = new PopulationSection(reader);
  }

  /** The event read from the root of the file, or null after reporting its problems. */
  EventDefinition event(Node root) {
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
    String id = ids.id(f, "id: marche-2026-11-28");
    LocalizedText title =
        texts.text(
            reader.required(f, "title", "title: " + LocalizedReader.EXAMPLE), context, "title");
    String place =
        reader.text(
            reader.required(f, "place", "place: \"Place Saint-Michel, Bordeaux\""),
            context,
            "place");
    LocalDate date = date(reader.required(f, "date", "date: 2026-11-28"), context);
    Node rewardsNode = reader.optional(f, "rewards", "rewards: {response: 2, idea: 1}");
    Rewards rewards = f.has("rewards") ? tickets.rewards(rewardsNode) : Rewards.none();
    Node timeoutsNode =
        reader.optional(f, "timeouts", "timeouts: {inactivity: 60s, countdown: 15s}");
    Timeouts timeouts = f.has("timeouts") ? timeouts(timeoutsNode) : Timeouts.defaults();
    Node ticketsNode =
        reader.optional(
            f, "tickets", "tickets: {expiry: 180d, perDeviceCap: 500, goldenOdds: 1/200}");
    TicketRules ticketRules =
        f.has("tickets") ? tickets.tickets(ticketsNode) : TicketRules.defaults();
    List<Poll> pollList = polls.polls(f, context);
    Node ideasNode = reader.optional(f, "ideas", IdeasSection.EXAMPLE);
    IdeaSettings ideaSettings = f.has("ideas") ? ideas.ideas(ideasNode) : IdeaSettings.disabled();
    Node profileNode = reader.optional(f, "profile", ProfileSection.EXAMPLE);
    Optional<ProfileSettings> profileSettings =
        f.has("profile") ? profile.profile(profileNode) : Optional.empty();
    Node workshopNode = reader.optional(f, "workshop", WorkshopSection.EXAMPLE);
    Optional<WorkshopScript> workshopScript =
        f.has("workshop") ? workshop.workshop(workshopNode) : Optional.empty();
    Node populationNode = reader.optional(f, "population", PopulationSection.EXAMPLE);
    Optional<Population> populationMargins =
        f.has("population")
            ? population.population(populationNode, profileSettings)
            : Optional.empty();
    if (id == null
        || populationMargins == null
        || workshopScript == null
        || ideaSettings == null
        || profileSettings == null
        || title == null
        || place == null
        || date == null
        || rewards == null
        || timeouts == null
        || ticketRules == null
        || pollList == null) {
      return null;
    }
    return reader.build(
        root,
        context,
        () ->
            new EventDefinition(
                id,
                title,
                place,
                date,
                pollList,
                rewards,
                timeouts,
                ticketRules,
                ideaSettings,
                profileSettings,
                workshopScript,
                populationMargins));
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
}

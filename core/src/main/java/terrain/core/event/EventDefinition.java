// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import terrain.core.id.EventId;
import terrain.core.id.PollId;

/**
 * An event where kiosks and tablets collect answers: a market day, a workshop.
 *
 * @param id 1 to 40 lowercase letters a-z, digits or dashes; it travels in MQTT topics
 * @param title shown on the kiosk's welcome screen
 * @param place where it happens, e.g. "Place Saint-Michel, Bordeaux"
 * @param date the day it happens
 * @param polls at least one, with unique ids; the first is the default
 * @param rewards the briqs given per action
 * @param timeouts how long kiosks wait for a resident
 * @param tickets how kiosks issue briq tickets
 * @param ideas whether kiosks offer the idea screen, and its themes
 * @param profile the "who are you" screen; empty: the screen is skipped
 * @param workshop the workshop script facilitators' tablets run; empty: no workshop
 * @param population the census margins who answered is compared with; empty: none given
 */
public record EventDefinition(
    String id,
    LocalizedText title,
    String place,
    LocalDate date,
    List<Poll> polls,
    Rewards rewards,
    Timeouts timeouts,
    TicketRules tickets,
    IdeaSettings ideas,
    Optional<ProfileSettings> profile,
    Optional<WorkshopScript> workshop,
    Optional<Population> population) {

  public EventDefinition {
    Ids.require("EventDefinition id", id);
    Objects.requireNonNull(title, "EventDefinition title must not be null");
    Objects.requireNonNull(place, "EventDefinition place must not be null");
    if (place.isBlank()) {
      throw new IllegalArgumentException("EventDefinition place [" + place + "] must not be blank");
    }
    Objects.requireNonNull(date, "EventDefinition date must not be null");
    polls = List.copyOf(Objects.requireNonNull(polls, "EventDefinition polls must not be null"));
    if (polls.isEmpty()) {
      throw new IllegalArgumentException("EventDefinition [" + id + "] polls must not be empty");
    }
    Set<String> seen = new HashSet<>();
    for (Poll poll : polls) {
      if (!seen.add(poll.id())) {
        throw new IllegalArgumentException(
            "EventDefinition [" + id + "] poll id [" + poll.id() + "] must be unique in the event");
      }
    }
    Objects.requireNonNull(rewards, "EventDefinition rewards must not be null");
    Objects.requireNonNull(timeouts, "EventDefinition timeouts must not be null");
    Objects.requireNonNull(tickets, "EventDefinition tickets must not be null");
    Objects.requireNonNull(ideas, "EventDefinition ideas must not be null");
    Objects.requireNonNull(profile, "EventDefinition profile must not be null");
    Objects.requireNonNull(workshop, "EventDefinition workshop must not be null (empty for none)");
    Objects.requireNonNull(
        population, "EventDefinition population must not be null (empty for none)");
    if (population.isPresent()) {
      requireProfileCodes(id, population.get(), profile);
    }
    for (Poll poll : polls) {
      for (Question question : poll.questions()) {
        if (ProfileSettings.isReserved(question.id())) {
          throw new IllegalArgumentException(
              "EventDefinition ["
                  + id
                  + "] question id ["
                  + question.id()
                  + "] must not start with \""
                  + ProfileSettings.RESERVED_PREFIX
                  + "\", kept for the profile answers");
        }
      }
    }
  }

  /** The id as a type, for tickets, records and the server's lookups. */
  public EventId eventId() {
    return EventId.of(id);
  }

  /** An event without population margins. */
  public EventDefinition(
      String id,
      LocalizedText title,
      String place,
      LocalDate date,
      List<Poll> polls,
      Rewards rewards,
      Timeouts timeouts,
      TicketRules tickets,
      IdeaSettings ideas,
      Optional<ProfileSettings> profile,
      Optional<WorkshopScript> workshop) {
    this(
        id,
        title,
        place,
        date,
        polls,
        rewards,
        timeouts,
        tickets,
        ideas,
        profile,
        workshop,
        Optional.empty());
  }

  private static void requireProfileCodes(
      String id, Population population, Optional<ProfileSettings> profile) {
    if (profile.isEmpty()) {
      throw new IllegalArgumentException(
          "EventDefinition [" + id + "] gives a population but no profile to compare it with");
    }
    for (String band : population.ageBands().values().keySet()) {
      if (profile.get().ageBand(band).isEmpty()) {
        throw new IllegalArgumentException(
            "EventDefinition [" + id + "] population age band [" + band + "] is not in profile");
      }
    }
    for (String area : population.areas().values().keySet()) {
      if (profile.get().area(area).isEmpty()) {
        throw new IllegalArgumentException(
            "EventDefinition ["
                + id
                + "] population neighbourhood ["
                + area
                + "] is not in profile");
      }
    }
  }

  /** An event without workshop. */
  public EventDefinition(
      String id,
      LocalizedText title,
      String place,
      LocalDate date,
      List<Poll> polls,
      Rewards rewards,
      Timeouts timeouts,
      TicketRules tickets,
      IdeaSettings ideas,
      Optional<ProfileSettings> profile) {
    this(
        id,
        title,
        place,
        date,
        polls,
        rewards,
        timeouts,
        tickets,
        ideas,
        profile,
        Optional.empty());
  }

  /** An event without idea or profile screen. */
  public EventDefinition(
      String id,
      LocalizedText title,
      String place,
      LocalDate date,
      List<Poll> polls,
      Rewards rewards,
      Timeouts timeouts,
      TicketRules tickets) {
    this(
        id,
        title,
        place,
        date,
        polls,
        rewards,
        timeouts,
        tickets,
        IdeaSettings.disabled(),
        Optional.empty());
  }

  /** This event with other idea and profile screens. */
  public EventDefinition withScreens(IdeaSettings ideas, Optional<ProfileSettings> profile) {
    return new EventDefinition(
        id,
        title,
        place,
        date,
        polls,
        rewards,
        timeouts,
        tickets,
        ideas,
        profile,
        workshop,
        population);
  }

  /** An event whose tickets follow {@link TicketRules#defaults()}. */
  public EventDefinition(
      String id,
      LocalizedText title,
      String place,
      LocalDate date,
      List<Poll> polls,
      Rewards rewards,
      Timeouts timeouts) {
    this(id, title, place, date, polls, rewards, timeouts, TicketRules.defaults());
  }

  /** The poll with this id as a record or a setting carries it (any text), if the event has one. */
  public Optional<Poll> poll(String id) {
    return polls.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** The poll with this id, if the event has one. */
  public Optional<Poll> poll(PollId id) {
    return poll(id.value());
  }

  /** The first poll, which a kiosk shows unless told otherwise. */
  public Poll defaultPoll() {
    return polls.get(0);
  }

  /**
   * The question ids that more than one poll uses, each with those polls' ids in the file's order.
   * The results count answers by question id, so these polls add up each other's answers: a new
   * file must not have any ({@code event check}, and the server when it publishes), while a version
   * published before the rule is still read and may keep the ones it had (decision 0072).
   */
  public Map<String, List<String>> questionIdsInSeveralPolls() {
    Map<String, List<String>> pollsByQuestion = new LinkedHashMap<>();
    for (Poll poll : polls) {
      for (Question question : poll.questions()) {
        pollsByQuestion.computeIfAbsent(question.id(), q -> new ArrayList<>()).add(poll.id());
      }
    }
    Map<String, List<String>> shared = new LinkedHashMap<>();
    pollsByQuestion.forEach(
        (question, in) -> {
          if (in.size() > 1) {
            shared.put(question, List.copyOf(in));
          }
        });
    return Collections.unmodifiableMap(shared);
  }
}

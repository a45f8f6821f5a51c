// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the town did with one question or one published idea of an event ("vous avez dit, nous avons
 * fait"): a status, a text, the reason when not adopted, dated milestones. Each change is a new
 * {@link Version}; nothing is overwritten.
 */
public final class FollowUp {
  private FollowUp() {}

  /** The longest text, reason, milestone text and milestone count staff may write. */
  public static final int MAX_TEXT = 2000;

  public static final int MAX_REASON = 1000;
  public static final int MAX_MILESTONE = 200;
  public static final int MAX_MILESTONES = 12;
  public static final int MAX_BY = 80;

  /** Where a follow-up stands; {@link #id} is what the API, the database and the pages use. */
  public enum Status {
    UNDER_STUDY("under_study"),
    ADOPTED("adopted"),
    DONE("done"),
    NOT_ADOPTED("not_adopted");

    private final String id;

    Status(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Optional<Status> parse(String id) {
      return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    /** The ids, for error messages: "under_study, adopted, done, not_adopted". */
    public static String ids() {
      return String.join(", ", Arrays.stream(values()).map(Status::id).toList());
    }
  }

  /** What a follow-up is about: a question of the event file, or a published idea. */
  public enum Kind {
    QUESTION("question"),
    IDEA("idea");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Optional<Kind> parse(String id) {
      return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }
  }

  /** A dated step, e.g. 2027-03-15 "vote du budget au conseil municipal". */
  public record Milestone(LocalDate date, String text) {}

  /** What staff write; validated by {@link #parse} or {@link #check}. */
  public record Input(Status status, String text, String reason, List<Milestone> milestones) {
    public Input {
      milestones = List.copyOf(milestones);
    }
  }

  /**
   * One version as stored.
   *
   * @param changedAt seconds since the epoch
   */
  public record Version(
      int version,
      Status status,
      String text,
      String reason,
      List<Milestone> milestones,
      String changedBy,
      long changedAt) {
    public Version {
      milestones = List.copyOf(milestones);
    }
  }

  /** A follow-up's identity in an event. */
  public record Key(String eventId, Kind kind, String ref) {}

  /** An input or the list of what is wrong with it (each saying what to write). */
  public record Checked(Input input, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\r\\t]]");
  private static final Pattern CONTROL_LINE = Pattern.compile("\\p{Cc}");
  private static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);
  private static final LocalDate LATEST = LocalDate.of(2100, 12, 31);

  /**
   * Checks the raw values of a form or a JSON body.
   *
   * @param milestones date and text pairs as typed; pairs with both blank are left out
   */
  public static Checked check(
      String status, String text, String reason, List<String[]> milestones) {
    List<String> problems = new ArrayList<>();
    Optional<Status> parsed = Status.parse(status == null ? "" : status.strip());
    if (parsed.isEmpty()) {
      problems.add("status [" + status + "] must be one of " + Status.ids() + ".");
    }
    String body = text == null ? "" : text.strip().replace("\r\n", "\n");
    if (body.isEmpty()) {
      problems.add("text is empty: say in a few sentences what the town did or will do.");
    } else if (body.length() > MAX_TEXT) {
      problems.add("text has " + body.length() + " characters: write at most " + MAX_TEXT + ".");
    } else if (CONTROL.matcher(body).find()) {
      problems.add("text holds control characters: write plain text.");
    }
    String why = reason == null ? "" : reason.strip().replace("\r\n", "\n");
    if (parsed.isPresent() && parsed.get() == Status.NOT_ADOPTED && why.isEmpty()) {
      problems.add("reason is empty: a follow-up not adopted must say why (status not_adopted).");
    }
    if (why.length() > MAX_REASON) {
      problems.add("reason has " + why.length() + " characters: write at most " + MAX_REASON + ".");
    } else if (CONTROL.matcher(why).find()) {
      problems.add("reason holds control characters: write plain text.");
    }
    List<Milestone> steps = new ArrayList<>();
    int n = 0;
    for (String[] pair : milestones) {
      n++;
      String date = pair[0] == null ? "" : pair[0].strip();
      String what = pair[1] == null ? "" : pair[1].strip();
      if (date.isEmpty() && what.isEmpty()) {
        continue;
      }
      String at = "milestone " + n;
      LocalDate day = null;
      try {
        day = LocalDate.parse(date);
        if (day.isBefore(EARLIEST) || day.isAfter(LATEST)) {
          problems.add(at + ": date [" + date + "] must be between 2000-01-01 and 2100-12-31.");
          day = null;
        }
      } catch (DateTimeParseException e) {
        problems.add(at + ": date [" + date + "] must be written YYYY-MM-DD, e.g. 2027-03-15.");
      }
      if (what.isEmpty()) {
        problems.add(at + ": text is empty: say what happens that day, e.g. \"travaux\".");
      } else if (what.length() > MAX_MILESTONE) {
        problems.add(
            at + ": text has " + what.length() + " characters: write at most " + MAX_MILESTONE);
      } else if (CONTROL_LINE.matcher(what).find()) {
        problems.add(at + ": text holds control characters or line breaks: write one line.");
      }
      if (day != null) {
        steps.add(new Milestone(day, what));
      }
    }
    if (steps.size() > MAX_MILESTONES) {
      problems.add(
          "there are " + steps.size() + " milestones: keep at most " + MAX_MILESTONES + ".");
    }
    steps.sort((a, b) -> a.date().compareTo(b.date()));
    if (!problems.isEmpty()) {
      return new Checked(null, List.copyOf(problems));
    }
    return new Checked(new Input(parsed.get(), body, why.isEmpty() ? null : why, steps), List.of());
  }

  /** Checks a JSON body {@code {"status","text","reason"?,"milestones":[{"date","text"}]?}}. */
  public static Checked parse(JsonNode body) {
    List<String> problems = new ArrayList<>();
    List<String[]> steps = new ArrayList<>();
    JsonNode milestones = body.path("milestones");
    if (!milestones.isMissingNode() && !milestones.isNull()) {
      if (!milestones.isArray()) {
        problems.add("milestones must be an array of {\"date\":\"YYYY-MM-DD\",\"text\":...}.");
      } else if (milestones.size() > MAX_MILESTONES) {
        problems.add(
            "there are " + milestones.size() + " milestones: keep at most " + MAX_MILESTONES + ".");
      } else {
        for (JsonNode step : milestones) {
          steps.add(new String[] {textOf(step.path("date")), textOf(step.path("text"))});
        }
      }
    }
    for (String field : List.of("status", "text", "reason")) {
      JsonNode value = body.path(field);
      if (!value.isMissingNode() && !value.isNull() && !value.isTextual()) {
        problems.add(field + " must be a string.");
      }
    }
    Checked checked =
        check(
            textOf(body.path("status")),
            textOf(body.path("text")),
            textOf(body.path("reason")),
            steps);
    if (problems.isEmpty()) {
      return checked;
    }
    problems.addAll(checked.problems());
    return new Checked(null, List.copyOf(problems));
  }

  private static String textOf(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }

  /** A name staff sign with, or why not. */
  static Optional<String> byProblem(String by) {
    if (by == null || by.isBlank()) {
      return Optional.of("by is empty: say who writes this follow-up.");
    }
    if (by.strip().length() > MAX_BY || CONTROL_LINE.matcher(by).find()) {
      return Optional.of("by must be one line of at most " + MAX_BY + " characters.");
    }
    return Optional.empty();
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The age columns of INSEE's IRIS base and the event's age bands derived from them (decision 0046).
 * The base gives three series of columns, each cutting all ages into groups: {@code POP0002 …
 * POP80P} (10 groups), {@code POP0014 … POP75P} (6) and {@code POP0019 … POP65P} (3). The people
 * aged below an age where a series cuts are the sum of that series' columns below it; a band [from,
 * to) is then "below to" minus "below from", each taken from a series that cuts there: a plain sum
 * of columns when one series cuts at both ends.
 */
final class InseeAgeBands {

  /** The upper bound of an open band ("75 and over"). */
  static final int OPEN = Integer.MAX_VALUE;

  /** One column: {@code P21_POP} + suffix, the people aged from {@code from} to {@code to} - 1. */
  record Column(String suffix, int from, int to) {}

  /** The three series, each a partition of all ages, in the file's order. */
  static final List<List<Column>> SERIES =
      List.of(
          List.of(
              new Column("0002", 0, 3),
              new Column("0305", 3, 6),
              new Column("0610", 6, 11),
              new Column("1117", 11, 18),
              new Column("1824", 18, 25),
              new Column("2539", 25, 40),
              new Column("4054", 40, 55),
              new Column("5564", 55, 65),
              new Column("6579", 65, 80),
              new Column("80P", 80, OPEN)),
          List.of(
              new Column("0014", 0, 15),
              new Column("1529", 15, 30),
              new Column("3044", 30, 45),
              new Column("4559", 45, 60),
              new Column("6074", 60, 75),
              new Column("75P", 75, OPEN)),
          List.of(
              new Column("0019", 0, 20), new Column("2064", 20, 65), new Column("65P", 65, OPEN)));

  private static final Pattern UNDER = Pattern.compile("moins-de-(\\d{1,3})");
  private static final Pattern RANGE = Pattern.compile("(\\d{1,3})-(\\d{1,3})");
  private static final Pattern OVER = Pattern.compile("(\\d{1,3})-plus");

  private InseeAgeBands() {}

  /** Every age column's suffix, in the file's order. */
  static List<String> suffixes() {
    return SERIES.stream().flatMap(List::stream).map(Column::suffix).toList();
  }

  /** The ages where INSEE's columns cut, e.g. 0, 3, 6, 11, 15, 18, ... 80. */
  static List<Integer> cuts() {
    TreeSet<Integer> cuts = new TreeSet<>();
    SERIES.forEach(s -> s.forEach(c -> cuts.add(c.from())));
    return List.copyOf(cuts);
  }

  /**
   * A band of the event: the people aged {@code from} to {@code to} - 1 ({@code to} is {@link
   * #OPEN} for "and over").
   */
  record Band(String id, int from, int to) {
    String ages(Texts texts) {
      return to == OPEN ? texts.get("ages.over", from) : texts.get("ages.range", from, to - 1);
    }
  }

  /**
   * The ages of a band read from its id, written as the kiosk's default ids are: {@code
   * moins-de-18}, {@code 18-29}, {@code 75-plus}; empty for any other id (an age band of the event
   * file has an id and labels, no bounds).
   */
  static Optional<Band> bounds(String id) {
    Matcher m = UNDER.matcher(id);
    if (m.matches() && Integer.parseInt(m.group(1)) > 0) {
      return Optional.of(new Band(id, 0, Integer.parseInt(m.group(1))));
    }
    m = RANGE.matcher(id);
    if (m.matches() && Integer.parseInt(m.group(1)) <= Integer.parseInt(m.group(2))) {
      return Optional.of(
          new Band(id, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) + 1));
    }
    m = OVER.matcher(id);
    if (m.matches()) {
      return Optional.of(new Band(id, Integer.parseInt(m.group(1)), OPEN));
    }
    return Optional.empty();
  }

  /**
   * A band's population as columns added minus columns taken away.
   *
   * @param plus column suffixes to add
   * @param minus column suffixes to take away (empty when the band is a plain sum of columns)
   */
  record Formula(List<String> plus, List<String> minus) {

    /** The formula on the sums of an area's IRIS: column suffix to its sum. */
    double apply(Map<String, Double> sums) {
      double total = 0;
      for (String s : plus) {
        total += sums.getOrDefault(s, 0.0);
      }
      for (String s : minus) {
        total -= sums.getOrDefault(s, 0.0);
      }
      return total;
    }

    /** {@code P21_POP0014 + P21_POP1529 - (P21_POP0002 + ...)}, given {@code P21_POP}. */
    String describe(String prefix) {
      String added = join(prefix, plus);
      if (minus.isEmpty()) {
        return added;
      }
      return added
          + " - "
          + (minus.size() == 1 ? join(prefix, minus) : "(" + join(prefix, minus) + ")");
    }

    private static String join(String prefix, List<String> suffixes) {
      return String.join(" + ", suffixes.stream().map(s -> prefix + s).toList());
    }
  }

  /** The formula of a band, or empty when INSEE's columns do not cut at both its ends. */
  static Optional<Formula> formula(Band band) {
    for (List<Column> series : SERIES) {
      if (cutsAt(series, band.from()) && cutsAt(series, band.to())) {
        return Optional.of(new Formula(between(series, band.from(), band.to()), List.of()));
      }
    }
    Optional<List<Column>> low = SERIES.stream().filter(s -> cutsAt(s, band.from())).findFirst();
    Optional<List<Column>> high = SERIES.stream().filter(s -> cutsAt(s, band.to())).findFirst();
    if (low.isEmpty() || high.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Formula(between(high.get(), 0, band.to()), between(low.get(), 0, band.from())));
  }

  private static boolean cutsAt(List<Column> series, int age) {
    return age == 0 || series.stream().anyMatch(c -> c.to() == age);
  }

  private static List<String> between(List<Column> series, int from, int to) {
    List<String> out = new ArrayList<>();
    for (Column c : series) {
      if (c.from() >= from && c.to() <= to) {
        out.add(c.suffix());
      }
    }
    return out;
  }
}

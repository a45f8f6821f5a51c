// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.results;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.Function;
import terrain.core.event.Population;

/**
 * Who took part against who lives there: per age band and per neighbourhood, the respondents, the
 * population's share and the coverage ratio (the band's share of respondents over its share of the
 * population: 1 is fair, 0.33 three times too few), and the plain lines that say who is missing.
 * One computation for the sync server's results page, the hub's live page and the tablet's home.
 *
 * <p>Counts of 1 to 4 ({@link Tally#hidden}) are never given, nor their ratio, which would give
 * them away; a missing group with so few respondents is said to have "fewer than 5". Respondents of
 * a neighbourhood outside the population, or of an id the population does not know, are left out of
 * the shares. Pure: no I/O.
 */
public final class Representation {
  /** Below this many respondents with a profile answer, no comparison is made (too noisy). */
  public static final int MIN_RESPONDENTS = 20;

  /** A band is said missing when its ratio is below this (1.5 times fewer than its share). */
  public static final double UNDER = 2.0 / 3.0;

  /** The two dimensions, with their names in the JSON API. */
  public enum Dimension {
    AGE_BAND("ageBand"),
    NEIGHBOURHOOD("neighbourhood");

    private final String json;

    Dimension(String json) {
      this.json = json;
    }

    public String json() {
      return json;
    }
  }

  /**
   * One band of a dimension.
   *
   * @param respondents how many gave it; null when hidden (1 to 4)
   * @param population its population as the event file gives it (people, or percent)
   * @param populationShare its share of the population, 0 to 1
   * @param respondentShare its share of the respondents, 0 to 1; null when hidden
   * @param ratio respondentShare / populationShare; null when hidden
   */
  public record Band(
      String id,
      Long respondents,
      double population,
      double populationShare,
      Double respondentShare,
      Double ratio) {}

  /** How a band is missing. */
  public enum Gap {
    /** Nobody of this band answered. */
    ABSENT,
    /** 1 to 4 answered: too few to say how many. */
    FEW,
    /** Fewer than {@link #UNDER} times its share. */
    UNDER
  }

  /**
   * A group that is missing, most missing first.
   *
   * @param factor how many times fewer than its share (1 / ratio); infinite when absent, NaN when
   *     too few to say
   */
  public record Missing(
      Dimension dimension,
      String id,
      Gap gap,
      double factor,
      double populationShare,
      Double share) {}

  /**
   * One dimension compared.
   *
   * @param respondents how many respondents gave a band of this population (the shares' base)
   * @param compared whether there are enough ({@link #MIN_RESPONDENTS}) to compare
   */
  public record Comparison(
      Dimension dimension, List<Band> bands, long respondents, boolean compared) {
    public Comparison {
      bands = List.copyOf(bands);
    }
  }

  private final List<Comparison> dimensions;
  private final List<Missing> missing;

  private Representation(List<Comparison> dimensions, List<Missing> missing) {
    this.dimensions = List.copyOf(dimensions);
    this.missing = List.copyOf(missing);
  }

  /**
   * Compares the respondents' counts with the population.
   *
   * @param ageBands age band id to how many gave it (any ids; unknown ones are left out)
   * @param areas neighbourhood id to how many gave it
   */
  public static Representation of(
      Population population, Map<String, Long> ageBands, Map<String, Long> areas) {
    Objects.requireNonNull(population, "population must not be null");
    List<Comparison> dimensions = new ArrayList<>();
    List<Missing> missing = new ArrayList<>();
    if (!population.ageBands().isEmpty()) {
      dimensions.add(compare(Dimension.AGE_BAND, population.ageBands(), ageBands, missing));
    }
    if (!population.areas().isEmpty()) {
      dimensions.add(compare(Dimension.NEIGHBOURHOOD, population.areas(), areas, missing));
    }
    missing.sort(
        Comparator.comparingInt((Missing m) -> m.gap().ordinal())
            .thenComparing(m -> -(Double.isNaN(m.factor()) ? 0 : m.factor()))
            .thenComparing(m -> -m.populationShare()));
    return new Representation(dimensions, missing);
  }

  private static Comparison compare(
      Dimension dimension,
      Population.Margin margin,
      Map<String, Long> counted,
      List<Missing> missing) {
    Map<String, Double> shares = margin.shares();
    long base = 0;
    for (String id : shares.keySet()) {
      base += counted.getOrDefault(id, 0L);
    }
    boolean compared = base >= MIN_RESPONDENTS;
    List<Band> bands = new ArrayList<>();
    for (Map.Entry<String, Double> entry : shares.entrySet()) {
      String id = entry.getKey();
      long n = counted.getOrDefault(id, 0L);
      double share = entry.getValue();
      boolean hidden = Tally.hidden(n);
      Double respondentShare = hidden || base == 0 ? null : (double) n / base;
      Double ratio = respondentShare == null ? null : respondentShare / share;
      bands.add(
          new Band(id, hidden ? null : n, margin.values().get(id), share, respondentShare, ratio));
      if (!compared) {
        continue;
      }
      if (n == 0) {
        missing.add(new Missing(dimension, id, Gap.ABSENT, Double.POSITIVE_INFINITY, share, 0.0));
      } else if (hidden) {
        missing.add(new Missing(dimension, id, Gap.FEW, Double.NaN, share, null));
      } else if (ratio < UNDER) {
        missing.add(new Missing(dimension, id, Gap.UNDER, 1 / ratio, share, respondentShare));
      }
    }
    return new Comparison(dimension, bands, base, compared);
  }

  public List<Comparison> dimensions() {
    return dimensions;
  }

  /** The groups missing, most missing first (absent, then too few to say, then by factor). */
  public List<Missing> missing() {
    return missing;
  }

  /**
   * The "who is missing" lines in French (the base), English or Arabic, most missing first; empty
   * when nobody is missing or too few answered to compare.
   *
   * @param label the words of a band in this language, by dimension and id
   */
  public List<String> lines(Locale locale, Function<Missing, String> label) {
    ResourceBundle words =
        ResourceBundle.getBundle(
            "terrain.core.results.representation",
            locale,
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    List<String> out = new ArrayList<>();
    for (Missing m : missing) {
      String key =
          (m.dimension() == Dimension.AGE_BAND ? "age." : "area.")
              + m.gap().name().toLowerCase(Locale.ROOT);
      out.add(
          new MessageFormat(words.getString(key), locale)
              .format(
                  new Object[] {
                    label.apply(m),
                    factor(m.factor()),
                    m.share() == null ? 0.0 : m.share(),
                    m.populationShare(),
                    Tally.SMALL_CELL
                  }));
    }
    return out;
  }

  /** 3 for 2.6 or 3.4; 1.5 below 2 (one decimal): how people say it. */
  static double factor(double factor) {
    if (Double.isNaN(factor) || Double.isInfinite(factor)) {
      return 0;
    }
    return factor >= 2 ? Math.round(factor) : Math.round(factor * 10) / 10.0;
  }
}

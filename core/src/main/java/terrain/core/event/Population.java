// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The population the event's residents are compared with (representativeness): its margins by the
 * age bands and the neighbourhoods of the "who are you" screen, from a census table.
 *
 * @param source where the figures come from, shown beside them, e.g. "INSEE RP 2021, Bordeaux"
 * @param ageBands age band id to its population (a count of people, or a share in percent); in the
 *     profile's order; empty when not given
 * @param areas neighbourhood id to its population, the same way; empty when not given
 * @param outside neighbourhood ids of the profile that are not in this population (e.g. "elsewhere
 *     in the metropolis"): their residents are counted but left out of the weighting
 */
public record Population(String source, Margin ageBands, Margin areas, List<String> outside) {

  /**
   * One margin: the population of each category.
   *
   * @param values category id to a count of people or a percentage, all of one kind, each above 0
   * @param percentages whether the values are percentages (they then add up to about 100)
   */
  public record Margin(Map<String, Double> values, boolean percentages) {
    public Margin {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values)));
      for (Map.Entry<String, Double> e : values.entrySet()) {
        if (!(e.getValue() > 0) || e.getValue().isInfinite()) {
          throw new IllegalArgumentException(
              "Population [" + e.getKey() + "] is " + e.getValue() + "; it must be more than 0");
        }
      }
    }

    /** No figure given for this dimension. */
    public static Margin none() {
      return new Margin(Map.of(), false);
    }

    public boolean isEmpty() {
      return values.isEmpty();
    }

    /** Each category's share of the whole, 0 to 1, in the same order. */
    public Map<String, Double> shares() {
      double total = values.values().stream().mapToDouble(Double::doubleValue).sum();
      Map<String, Double> out = new LinkedHashMap<>();
      values.forEach((id, v) -> out.put(id, v / total));
      return out;
    }
  }

  public Population {
    Objects.requireNonNull(source, "Population source must not be null");
    if (source.isBlank()) {
      throw new IllegalArgumentException("Population source must not be blank");
    }
    Objects.requireNonNull(ageBands, "Population ageBands must not be null (Margin.none())");
    Objects.requireNonNull(areas, "Population areas must not be null (Margin.none())");
    outside = List.copyOf(Objects.requireNonNull(outside, "Population outside must not be null"));
    if (ageBands.isEmpty() && areas.isEmpty()) {
      throw new IllegalArgumentException(
          "Population gives neither age bands nor neighbourhoods; give at least one");
    }
  }
}

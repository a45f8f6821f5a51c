// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests of {@code
 * /metrics}: every line must be a {@code # HELP}, a {@code # TYPE} or a sample, each sample's
 * family must have been typed before it, and values must be numbers.
 */
public final class PrometheusText {
  private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
  private static final Pattern TYPE =
      Pattern.compile(
          "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE =
      Pattern.compile(
          "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})?"
              + " (\\S+)( -?\\d+)?");

  private final Map<String, String> types;
  private final Map<String, Double> samples;

  private PrometheusText(Map<String, String> types, Map<String, Double> samples) {
    this.types = types;
    this.samples = samples;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the first line that is not the format
   */
  public static PrometheusText parse(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, Double> samples = new LinkedHashMap<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty() || HELP.matcher(line).matches()) {
        continue;
      }
      Matcher type = TYPE.matcher(line);
      if (type.matches()) {
        types.put(type.group(1), type.group(2));
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new IllegalArgumentException("line " + (i + 1) + " is not Prometheus text: " + line);
      }
      String name = sample.group(1);
      if (family(name, types) == null) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + ": sample " + name + " has no # TYPE before it");
      }
      String labels = sample.group(2) == null ? "" : sample.group(2);
      samples.put(name + labels, number(sample.group(3), i + 1));
    }
    return new PrometheusText(types, samples);
  }

  private static String family(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : new String[] {"_total", "_bucket", "_count", "_sum", "_created"}) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return null;
  }

  private static double number(String value, int line) {
    switch (value) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("line " + line + ": [" + value + "] is not a number");
        }
    }
  }

  /**
   * The type of a family, e.g. {@code counter}; a counter's family is found by its name with or
   * without {@code _total}; null when absent.
   */
  public String type(String family) {
    String type = types.get(family);
    return type != null ? type : types.get(family + "_total");
  }

  /** The value of the series written exactly so, e.g. {@code a_total{x="y"}}; 0 when absent. */
  public double value(String series) {
    return samples.getOrDefault(series, 0.0);
  }

  /** The sum of every series of {@code name} whose labels contain each of {@code labels}. */
  public double sum(String name, String... labels) {
    double total = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String series = e.getKey();
      if (!(series.equals(name) || series.startsWith(name + "{"))) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= series.contains(label);
      }
      if (all) {
        total += e.getValue();
      }
    }
    return total;
  }

  /** Every series with its value, as written. */
  public Map<String, Double> samples() {
    return Map.copyOf(samples);
  }
}

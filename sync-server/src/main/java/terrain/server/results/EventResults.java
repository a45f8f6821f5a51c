// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import terrain.core.event.QuestionKind;
import terrain.core.results.Tally;

/**
 * The results of an event per question kind (decision 0035), as the JSON {@code GET
 * /api/events/{id}/results}, the page and the printed report show them: choice questions with n and
 * a 95 % Wilson interval per option, a scale's distribution and mean, a ranking's Borda points and
 * first choices, a map's pins and density grid, the published free texts, and who took part by
 * site, device, channel, day and hour. Counts of who took part under {@value Tally#SMALL_CELL} are
 * null ("fewer than 5") wherever they describe a group of people smaller than the event (a site, a
 * device, an hour, an option at one site).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventResults(
    String event,
    String title,
    long responses,
    Method method,
    List<QuestionResult> questions,
    Participation participation) {

  /** The town's clock: days and hours are read in it (device times are UTC milliseconds). */
  public static final ZoneId ZONE = ZoneId.of("Europe/Paris");

  /** The 95 % normal quantile of the intervals. */
  static final double Z = 1.959964;

  /** The density grid of a map: this many rows and columns, as the hub's live results. */
  public static final int GRID = Tally.HEAT_GRID;

  /**
   * How the figures were made, in words a report can print.
   *
   * @param interval the interval of a share: {@code "wilson-95"}
   * @param firstDay the first day with participations (ISO date, the town's clock), null without
   *     any
   * @param lastDay the last such day
   * @param complete false when some responses came before the breakdowns were kept (n of a question
   *     and the breakdowns then cover only the later ones)
   */
  public record Method(
      String interval,
      String confidence,
      String zone,
      String firstDay,
      String lastDay,
      List<String> sites,
      List<String> channels,
      boolean complete) {}

  /**
   * An option of a choice question (or a point of a scale, a zone of a map).
   *
   * @param share count / n, 0 to 1
   * @param low the lower end of the 95 % Wilson interval of the share
   * @param high its upper end
   */
  public record OptionResult(
      String id, String label, long count, double share, double low, double high) {}

  /** A scale's mean (points 1 to 5) with its 95 % interval (normal approximation). */
  public record Mean(double mean, double low, double high) {}

  /**
   * An option of a ranking.
   *
   * @param borda its Borda points: a first place is worth as many points as options are ranked, the
   *     next one less, down to 1
   * @param firsts how many put it first
   * @param ranked how many ranked it at all
   * @param averageRank its average place among those who ranked it (1.0 is always first)
   */
  public record RankedOption(
      String id, String label, long borda, long firsts, long ranked, double averageRank) {}

  /** A pin, per mille of the map's width (x) and height (y) from its top left corner. */
  public record Pin(int x, int y) {}

  /**
   * A map question's answers.
   *
   * @param picture where the server serves the map's picture, null when it does not have it
   * @param grid the pins counted in {@value #GRID} x {@value #GRID} cells, row 0 at the top
   * @param zones how many pins (or zones picked from the list) each named zone got
   */
  public record MapResult(
      String picture, List<Pin> pins, List<List<Long>> grid, List<OptionResult> zones) {}

  /** A published free text and when it was typed (ISO-8601, the town's clock). */
  public record Text(String text, String at) {}

  /** A free-text question: how many came, how many are published, the published ones. */
  public record Texts(long received, long published, List<Text> texts) {}

  /**
   * One question's results; only the part of its kind is present.
   *
   * @param answered how many participations answered it (the n of its shares)
   * @param byChannel option counts per channel (kiosk, tablet), null under 5
   * @param bySite option counts per site (hub id, or {@code "direct"}), null under 5
   * @param byDevice option counts per device id, null under 5
   * @param answeredByChannel how many answered the question per channel (the n of its shares), null
   *     under 5
   * @param answeredBySite the same per site
   * @param answeredByDevice the same per device
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record QuestionResult(
      String id,
      String kind,
      String text,
      long answered,
      Double marginOfError,
      List<OptionResult> options,
      Mean mean,
      List<RankedOption> ranking,
      MapResult map,
      Texts texts,
      Map<String, Map<String, Long>> byChannel,
      Map<String, Map<String, Long>> bySite,
      Map<String, Map<String, Long>> byDevice,
      Map<String, Long> answeredByChannel,
      Map<String, Long> answeredBySite,
      Map<String, Long> answeredByDevice) {}

  /**
   * Who took part in one group (a site, a device, a channel, a day, an hour); counts of 1 to 4 are
   * null.
   *
   * @param channel for a device: kiosk, tablet (or unknown when it is not enrolled here)
   * @param site for a device: the site it sent from
   */
  public record Group(
      String id,
      String label,
      String channel,
      String site,
      Long responses,
      Long ideas,
      Long attendance) {}

  /**
   * Participations broken down; {@code byHour} ids are ISO local date-times of the hour's start.
   */
  public record Participation(
      long responses,
      long ideas,
      long attendance,
      List<Group> bySite,
      List<Group> byDevice,
      List<Group> byChannel,
      List<Group> byDay,
      List<Group> byHour) {}

  /** The id of the site of devices that sent to the server directly, without a hub. */
  public static final String DIRECT = "direct";

  /** The share interval: Wilson's score interval at 95 %, good for small n and shares near 0. */
  static double[] wilson(long count, long n) {
    if (n <= 0) {
      return new double[] {0, 0, 0};
    }
    double p = (double) count / n;
    double z2 = Z * Z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denominator;
    double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
    return new double[] {p, Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }

  static OptionResult option(String id, String label, long count, long n) {
    double[] w = wilson(count, n);
    return new OptionResult(id, label, count, round(w[0]), round(w[1]), round(w[2]));
  }

  /**
   * Builds the results.
   *
   * @param picture where a map question's picture is served, if the server has it
   */
  static EventResults of(
      Summary summary,
      Breakdowns.Read rows,
      java.util.function.Function<String, Optional<String>> picture) {
    Optional<EventCatalog.Event> event = summary.definition();
    // Per question: how many answered (firsts summed) and the counts per channel and per site.
    Map<String, Long> answered = new TreeMap<>();
    Map<String, Map<String, Map<String, Long>>> byChannel = new TreeMap<>();
    Map<String, Map<String, Map<String, Long>>> bySite = new TreeMap<>();
    Map<String, Map<String, Map<String, Long>>> byDevice = new TreeMap<>();
    // Per question and group: how many answered (each answer has one first choice).
    Map<String, Map<String, Long>> answeredByChannel = new TreeMap<>();
    Map<String, Map<String, Long>> answeredBySite = new TreeMap<>();
    Map<String, Map<String, Long>> answeredByDevice = new TreeMap<>();
    for (Breakdowns.DeviceTally t : rows.tallies()) {
      answered.merge(t.question(), t.firsts(), Long::sum);
      byDevice
          .computeIfAbsent(t.question(), q -> new TreeMap<>())
          .computeIfAbsent(t.device(), c -> new TreeMap<>())
          .merge(t.option(), t.n(), Long::sum);
      answeredByChannel
          .computeIfAbsent(t.question(), q -> new TreeMap<>())
          .merge(channel(rows, t.device()), t.firsts(), Long::sum);
      answeredBySite
          .computeIfAbsent(t.question(), q -> new TreeMap<>())
          .merge(site(t.site()), t.firsts(), Long::sum);
      answeredByDevice
          .computeIfAbsent(t.question(), q -> new TreeMap<>())
          .merge(t.device(), t.firsts(), Long::sum);
      byChannel
          .computeIfAbsent(t.question(), q -> new TreeMap<>())
          .computeIfAbsent(channel(rows, t.device()), c -> new TreeMap<>())
          .merge(t.option(), t.n(), Long::sum);
      bySite
          .computeIfAbsent(t.question(), q -> new TreeMap<>())
          .computeIfAbsent(site(t.site()), c -> new TreeMap<>())
          .merge(t.option(), t.n(), Long::sum);
    }
    long responsesBroken =
        rows.hours().stream()
            .filter(h -> h.kind().equals("response"))
            .mapToLong(Breakdowns.Hour::n)
            .sum();
    boolean complete = responsesBroken == summary.responses();

    List<QuestionResult> questions = new ArrayList<>();
    List<EventCatalog.Question> known =
        event.map(EventCatalog.Event::questions).orElseGet(List::of);
    Map<String, EventCatalog.Question> byId = new LinkedHashMap<>();
    known.forEach(q -> byId.put(q.id(), q));
    List<String> ids = new ArrayList<>(byId.keySet());
    summary.byQuestion().keySet().stream().filter(id -> !byId.containsKey(id)).forEach(ids::add);
    for (String id : ids) {
      EventCatalog.Question q = byId.get(id);
      QuestionKind kind = q == null ? QuestionKind.SINGLE : q.kind();
      Map<String, Long> counts = summary.byQuestion().getOrDefault(id, Map.of());
      List<EventCatalog.Option> options = q == null ? List.of() : q.options();
      long countSum = counts.values().stream().mapToLong(Long::longValue).sum();
      // Complete breakdowns give how many answered; otherwise one answer per chosen option.
      long n =
          complete && answered.containsKey(id)
              ? answered.get(id)
              : kind == QuestionKind.MULTIPLE || kind == QuestionKind.RANKING
                  ? summary.responses()
                  : countSum;
      String text = q == null ? id : q.text();
      Map<String, Map<String, Long>> channels = hideSmall(byChannel.get(id));
      Map<String, Map<String, Long>> sites = hideSmall(bySite.get(id));
      Map<String, Map<String, Long>> devices = hideSmall(byDevice.get(id));
      Map<String, Long> nChannels = hideSmallCounts(answeredByChannel.get(id));
      Map<String, Long> nSites = hideSmallCounts(answeredBySite.get(id));
      Map<String, Long> nDevices = hideSmallCounts(answeredByDevice.get(id));
      switch (kind) {
        case SINGLE, MULTIPLE, YES_NO -> {
          List<OptionResult> list = choices(counts, options, n);
          questions.add(
              new QuestionResult(
                  id,
                  kind.yamlName(),
                  text,
                  n,
                  margin(list, n),
                  list,
                  null,
                  null,
                  null,
                  null,
                  channels,
                  sites,
                  devices,
                  nChannels,
                  nSites,
                  nDevices));
        }
        case SCALE -> {
          List<OptionResult> list = choices(counts, options, n);
          questions.add(
              new QuestionResult(
                  id,
                  kind.yamlName(),
                  text,
                  n,
                  margin(list, n),
                  list,
                  mean(counts),
                  null,
                  null,
                  null,
                  channels,
                  sites,
                  devices,
                  nChannels,
                  nSites,
                  nDevices));
        }
        case RANKING -> {
          Map<String, Long> firsts = new TreeMap<>();
          rows.tallies().stream()
              .filter(t -> t.question().equals(id))
              .forEach(t -> firsts.merge(t.option(), t.firsts(), Long::sum));
          List<RankedOption> ranking = new ArrayList<>();
          for (Map.Entry<String, Long> e : ordered(counts, options).entrySet()) {
            String option = e.getKey();
            ranking.add(
                new RankedOption(
                    option,
                    label(options, option),
                    summary.bordaPoints(id, option, q == null ? 1 : q.maxChoices()),
                    firsts.getOrDefault(option, 0L),
                    e.getValue(),
                    round(summary.averageRank(id, option).orElse(0.0))));
          }
          ranking.sort(Comparator.comparingLong(RankedOption::borda).reversed());
          questions.add(
              new QuestionResult(
                  id,
                  kind.yamlName(),
                  text,
                  n,
                  null,
                  null,
                  null,
                  ranking,
                  null,
                  null,
                  channels,
                  sites,
                  devices,
                  nChannels,
                  nSites,
                  nDevices));
        }
        case MAP -> {
          List<Summary.Pin> pins = summary.pins().getOrDefault(id, List.of());
          long[][] heat = summary.heatGrid(id);
          List<List<Long>> grid = new ArrayList<>();
          for (long[] row : heat) {
            grid.add(java.util.Arrays.stream(row).boxed().toList());
          }
          long pinned = summary.pinCount(id);
          long answeredMap = Math.max(n, Math.max(pinned, countSum));
          List<OptionResult> zones = choices(counts, options, answeredMap);
          questions.add(
              new QuestionResult(
                  id,
                  kind.yamlName(),
                  text,
                  answeredMap,
                  null,
                  null,
                  null,
                  null,
                  new MapResult(
                      picture.apply(id).orElse(null),
                      pins.stream().map(p -> new Pin(p.x(), p.y())).toList(),
                      grid,
                      zones),
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));
        }
        case TEXT -> {
          long received = summary.textCounts().getOrDefault(id, 0L);
          List<Text> texts =
              summary.texts().getOrDefault(id, List.of()).stream()
                  .map(t -> new Text(t.text(), localTime(t.deviceTime()).toString()))
                  .toList();
          questions.add(
              new QuestionResult(
                  id,
                  kind.yamlName(),
                  text,
                  received,
                  null,
                  null,
                  null,
                  null,
                  null,
                  new Texts(received, summary.publishedTextCounts().getOrDefault(id, 0L), texts),
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));
        }
        default -> {}
      }
    }
    Participation participation = participation(rows);
    List<String> siteIds = participation.bySite().stream().map(Group::id).toList();
    List<String> channelIds = participation.byChannel().stream().map(Group::id).toList();
    String first = participation.byDay().isEmpty() ? null : participation.byDay().get(0).id();
    String last =
        participation.byDay().isEmpty()
            ? null
            : participation.byDay().get(participation.byDay().size() - 1).id();
    return new EventResults(
        summary.eventId(),
        event.map(EventCatalog.Event::title).orElse(summary.eventId()),
        summary.responses(),
        new Method("wilson-95", "95 %", ZONE.getId(), first, last, siteIds, channelIds, complete),
        questions,
        participation);
  }

  static LocalDateTime localTime(long epochMillis) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZONE).withNano(0);
  }

  private static Double margin(List<OptionResult> options, long n) {
    if (n <= 0) {
      return null;
    }
    // The widest half-interval of the question's options: "at most ± x points".
    double widest = 0;
    for (OptionResult o : options) {
      widest = Math.max(widest, Math.max(o.share() - o.low(), o.high() - o.share()));
    }
    return round(widest);
  }

  private static Mean mean(Map<String, Long> counts) {
    long n = 0;
    double sum = 0;
    double squares = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      int point;
      try {
        point = Integer.parseInt(e.getKey());
      } catch (NumberFormatException notAPoint) {
        continue;
      }
      n += e.getValue();
      sum += (double) point * e.getValue();
      squares += (double) point * point * e.getValue();
    }
    if (n == 0) {
      return null;
    }
    double mean = sum / n;
    double variance = n > 1 ? Math.max(0, (squares - n * mean * mean) / (n - 1)) : 0;
    double half = Z * Math.sqrt(variance / n);
    return new Mean(round(mean), round(mean - half), round(mean + half));
  }

  private static List<OptionResult> choices(
      Map<String, Long> counts, List<EventCatalog.Option> options, long n) {
    List<OptionResult> out = new ArrayList<>();
    ordered(counts, options)
        .forEach((id, count) -> out.add(option(id, label(options, id), count, n)));
    return out;
  }

  /** Options in file order with 0 for those nobody chose, then unknown ids. */
  private static Map<String, Long> ordered(
      Map<String, Long> counts, List<EventCatalog.Option> options) {
    Map<String, Long> out = new LinkedHashMap<>();
    options.forEach(o -> out.put(o.id(), counts.getOrDefault(o.id(), 0L)));
    counts.forEach(out::putIfAbsent);
    return out;
  }

  private static String label(List<EventCatalog.Option> options, String id) {
    return EventCatalog.Event.label(options, id).orElse(id);
  }

  private static Map<String, Map<String, Long>> hideSmall(Map<String, Map<String, Long>> groups) {
    if (groups == null) {
      return null;
    }
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    groups.forEach(
        (group, counts) -> {
          Map<String, Long> shown = new LinkedHashMap<>();
          counts.forEach((option, n) -> shown.put(option, Tally.hidden(n) ? null : n));
          out.put(group, shown);
        });
    return out;
  }

  private static Map<String, Long> hideSmallCounts(Map<String, Long> groups) {
    if (groups == null) {
      return null;
    }
    Map<String, Long> out = new LinkedHashMap<>();
    groups.forEach((group, n) -> out.put(group, Tally.hidden(n) ? null : n));
    return out;
  }

  private static String site(String siteId) {
    return siteId.isEmpty() ? DIRECT : siteId;
  }

  /** A device's channel from its enrolment: kiosk or tablet; unknown when not enrolled here. */
  static String channel(Breakdowns.Read rows, String device) {
    Breakdowns.Device d = rows.devices().get(device);
    return d == null ? "unknown" : d.kind();
  }

  private static Participation participation(Breakdowns.Read rows) {
    Map<String, long[]> sites = new TreeMap<>();
    Map<String, long[]> devices = new TreeMap<>();
    Map<String, String> deviceSite = new TreeMap<>();
    Map<String, long[]> channels = new TreeMap<>();
    Map<String, long[]> days = new TreeMap<>();
    Map<String, long[]> hours = new TreeMap<>();
    long[] total = new long[3];
    for (Breakdowns.Hour h : rows.hours()) {
      int column = h.kind().equals("response") ? 0 : h.kind().equals("idea") ? 1 : 2;
      String site = site(h.site());
      LocalDateTime start = localTime(h.hour() * Breakdowns.HOUR);
      String channel = column == 2 ? "workshop" : channel(rows, h.device());
      add(sites, site, column, h.n());
      add(devices, h.device(), column, h.n());
      deviceSite.putIfAbsent(h.device(), site);
      add(channels, channel, column, h.n());
      add(days, start.toLocalDate().toString(), column, h.n());
      add(hours, start.toString(), column, h.n());
      total[column] += h.n();
    }
    List<Group> bySite = new ArrayList<>();
    sites.forEach(
        (id, c) -> {
          Breakdowns.Device hub = rows.devices().get(id);
          bySite.add(group(id, hub == null ? id : hub.name(), null, null, c));
        });
    List<Group> byDevice = new ArrayList<>();
    devices.forEach(
        (id, c) -> {
          Breakdowns.Device d = rows.devices().get(id);
          byDevice.add(
              group(id, d == null ? id : d.name(), channel(rows, id), deviceSite.get(id), c));
        });
    List<Group> byChannel = new ArrayList<>();
    channels.forEach((id, c) -> byChannel.add(group(id, id, null, null, c)));
    List<Group> byDay = new ArrayList<>();
    days.forEach((id, c) -> byDay.add(group(id, id, null, null, c)));
    List<Group> byHour = new ArrayList<>();
    hours.forEach((id, c) -> byHour.add(group(id, id, null, null, c)));
    return new Participation(
        total[0], total[1], total[2], bySite, byDevice, byChannel, byDay, byHour);
  }

  private static void add(Map<String, long[]> to, String key, int column, long n) {
    to.computeIfAbsent(key, k -> new long[3])[column] += n;
  }

  private static Group group(String id, String label, String channel, String site, long[] c) {
    return new Group(id, label, channel, site, shown(c[0]), shown(c[1]), shown(c[2]));
  }

  private static Long shown(long n) {
    return Tally.hidden(n) ? null : n;
  }
}

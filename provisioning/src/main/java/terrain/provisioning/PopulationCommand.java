// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.ProfileSettings;

/**
 * {@code provision population}: the event's {@code population:} block from INSEE's IRIS base, the
 * IRIS grouped into the event's neighbourhoods by a small CSV, the age bands derived from INSEE's
 * columns (decision 0046). Prints the block (or writes it to {@code --out}) and a check: each
 * neighbourhood's and age band's total, both margins' totals, the neighbourhoods left outside.
 */
@Command(name = "population", mixinStandardHelpOptions = true)
final class PopulationCommand implements Callable<Integer> {

  /** The source line of the block; the year is the file's. */
  static final String SOURCE = "INSEE, recensement de la population %d, base infracommunale IRIS";

  private static final Pattern IRIS_CODE = Pattern.compile("[0-9][0-9AB][0-9]{7}");
  private static final Pattern COMMUNE_CODE = Pattern.compile("[0-9][0-9AB][0-9]{3}");

  @Spec CommandSpec spec;

  @Option(names = "--insee", required = true, paramLabel = "CSV", descriptionKey = "insee")
  Path insee;

  @Option(names = "--event", required = true, paramLabel = "FILE", descriptionKey = "popEvent")
  Path event;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Area area;

  static final class Area {
    @Option(names = "--neighbourhoods", paramLabel = "CSV", descriptionKey = "neighbourhoods")
    Path neighbourhoods;

    @Option(names = "--commune", split = ",", paramLabel = "CODE", descriptionKey = "commune")
    List<String> communes;
  }

  @Option(names = "--out", paramLabel = "FILE", descriptionKey = "out")
  Path out;

  /** One line of the IRIS file: an IRIS, its neighbourhood, where it was written. */
  record Mapped(String iris, String area, int line) {}

  @Override
  public Integer call() throws ProvisionException {
    PrintWriter err = spec.commandLine().getErr();
    Texts texts = ProvisionMain.texts(spec);
    EventDefinition definition = EventCommand.load(event, err, texts);
    ProfileSettings profile =
        definition
            .profile()
            .orElseThrow(
                () -> ProvisionException.refused(texts.get("population.noProfile", event)));
    Bands bands = formulas(profile, texts);
    Map<String, InseeAgeBands.Formula> formulas = bands.formulas();
    List<String> areaIds = profile.areas().stream().map(AnswerOption::id).toList();

    List<Mapped> mapping = List.of();
    Map<String, String> areaOf = new HashMap<>();
    InseeIrisBase.Sums sums;
    String commune = null;
    if (area.neighbourhoods != null) {
      if (areaIds.isEmpty()) {
        throw ProvisionException.refused(texts.get("population.noNeighbourhoods", event));
      }
      mapping = mapping(area.neighbourhoods, areaIds, err, texts);
      mapping.forEach(m -> areaOf.put(m.iris(), m.area()));
      sums = InseeIrisBase.read(insee, (iris, com) -> areaOf.get(iris), texts);
      List<String> unknown = new ArrayList<>();
      for (Mapped m : mapping) {
        if (!sums.found().contains(m.iris())) {
          unknown.add(
              texts.get(
                  "population.irisNotFound",
                  area.neighbourhoods,
                  m.line(),
                  m.iris(),
                  m.area(),
                  insee,
                  sums.year()));
        }
      }
      refuse(unknown, area.neighbourhoods, err, texts);
    } else {
      List<String> codes = new ArrayList<>();
      for (String text : area.communes) {
        String code = InseeIrisBase.code(text, 5);
        if (!COMMUNE_CODE.matcher(code).matches()) {
          throw ProvisionException.usage(texts.get("population.badCommune", text));
        }
        codes.add(code);
      }
      commune = String.join(", ", codes);
      String group = commune;
      Set<String> seen = new HashSet<>();
      sums =
          InseeIrisBase.read(
              insee,
              (iris, com) -> {
                if (!codes.contains(com)) {
                  return null;
                }
                seen.add(com);
                return group;
              },
              texts);
      List<String> absent = codes.stream().filter(c -> !seen.contains(c)).toList();
      if (!absent.isEmpty()) {
        throw ProvisionException.refused(
            texts.get("population.communeNotFound", insee, String.join(", ", absent), sums.rows()));
      }
    }

    // The margins, unrounded.
    Map<String, Double> ages = new LinkedHashMap<>();
    formulas.keySet().forEach(id -> ages.put(id, 0.0));
    Map<String, Double> areas = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Double>> e : sums.sums().entrySet()) {
      formulas.forEach((id, f) -> ages.merge(id, f.apply(e.getValue()), Double::sum));
      areas.merge(e.getKey(), e.getValue().getOrDefault(InseeIrisBase.TOTAL, 0.0), Double::sum);
    }
    double areasTotal = areas.values().stream().mapToDouble(Double::doubleValue).sum();
    double agesTotal = ages.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Long> ageFigures = round(ages);
    List<String> zero = new ArrayList<>();
    ageFigures.forEach(
        (id, n) -> {
          if (n <= 0) {
            zero.add(texts.get("population.ageBand", id));
          }
        });
    Map<String, Long> areaFigures = new LinkedHashMap<>();
    List<String> outside = new ArrayList<>();
    if (commune == null) {
      Map<String, Double> ordered = new LinkedHashMap<>();
      for (String id : areaIds) {
        if (areas.containsKey(id)) {
          ordered.put(id, areas.get(id));
        } else if (mapping.stream().noneMatch(m -> m.area().equals(id))) {
          outside.add(id);
        }
      }
      areaFigures = round(ordered);
      areaFigures.forEach(
          (id, n) -> {
            if (n <= 0) {
              zero.add(texts.get("population.neighbourhood", id));
            }
          });
    }
    if (!zero.isEmpty()) {
      throw ProvisionException.refused(
          texts.get(
              "population.zero",
              zero.size(),
              String.join(", ", zero),
              commune == null ? area.neighbourhoods : insee));
    }

    String block = block(sums.year(), ageFigures, areaFigures, outside);
    PrintWriter check;
    if (out == null) {
      spec.commandLine().getOut().print(block);
      spec.commandLine().getOut().flush();
      check = err;
    } else {
      try {
        Files.writeString(out, block, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ProvisionException(
            ProvisionException.REFUSED, texts.get("population.notWritten", out, e.getMessage()), e);
      }
      check = spec.commandLine().getOut();
    }
    check(
        check,
        texts,
        sums,
        commune,
        formulas,
        ageFigures,
        areaFigures,
        agesTotal,
        areasTotal,
        outside,
        bands.gaps(),
        profile);
    return 0;
  }

  /**
   * The age bands' formulas.
   *
   * @param formulas band id to its formula, in the profile's order
   * @param gaps the ages no band has, e.g. "0 to 14", empty when the bands cover every age
   */
  record Bands(Map<String, InseeAgeBands.Formula> formulas, List<String> gaps) {}

  /** Each age band's formula; refuses, naming them, when some cannot be derived. */
  static Bands formulas(ProfileSettings profile, Texts texts) throws ProvisionException {
    Map<String, InseeAgeBands.Formula> formulas = new LinkedHashMap<>();
    List<InseeAgeBands.Band> bands = new ArrayList<>();
    List<String> cannot = new ArrayList<>();
    for (AnswerOption option : profile.ageBands()) {
      Optional<InseeAgeBands.Band> band = InseeAgeBands.bounds(option.id());
      Optional<InseeAgeBands.Formula> formula = band.flatMap(InseeAgeBands::formula);
      if (band.isEmpty()) {
        cannot.add(texts.get("population.bandNoAges", option.id()));
      } else if (formula.isEmpty()) {
        cannot.add(texts.get("population.bandNoCut", option.id(), cutsMissed(band.get(), texts)));
      } else {
        formulas.put(option.id(), formula.get());
        bands.add(band.get());
      }
    }
    if (!cannot.isEmpty()) {
      throw ProvisionException.refused(
          texts.get(
              "population.bandsNotDerived",
              cannot.size(),
              String.join(", ", cannot),
              String.join(", ", InseeAgeBands.cuts().stream().map(String::valueOf).toList())));
    }
    bands.sort(Comparator.comparingInt(InseeAgeBands.Band::from));
    List<String> gaps = new ArrayList<>();
    int covered = 0;
    for (int i = 0; i < bands.size(); i++) {
      if (bands.get(i).from() > covered) {
        gaps.add(new InseeAgeBands.Band("", covered, bands.get(i).from()).ages(texts));
      }
      covered = bands.get(i).to();
      if (i > 0 && bands.get(i).from() < bands.get(i - 1).to()) {
        throw ProvisionException.refused(
            texts.get("population.overlap", bands.get(i - 1).id(), bands.get(i).id()));
      }
    }
    if (covered != InseeAgeBands.OPEN) {
      gaps.add(new InseeAgeBands.Band("", covered, InseeAgeBands.OPEN).ages(texts));
    }
    return new Bands(formulas, gaps);
  }

  private static String cutsMissed(InseeAgeBands.Band band, Texts texts) {
    List<Integer> cuts = InseeAgeBands.cuts();
    List<String> missed = new ArrayList<>();
    if (!cuts.contains(band.from())) {
      missed.add(String.valueOf(band.from()));
    }
    if (band.to() != InseeAgeBands.OPEN && !cuts.contains(band.to())) {
      missed.add(String.valueOf(band.to()));
    }
    return String.join(texts.get("population.nor"), missed);
  }

  /** Reads the IRIS file; prints every mistake as FILE:line: ... and refuses if any. */
  static List<Mapped> mapping(Path file, List<String> areaIds, PrintWriter err, Texts texts)
      throws ProvisionException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      try {
        lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      } catch (IOException again) {
        throw unreadable(file, again, texts);
      }
    } catch (NoSuchFileException e) {
      throw ProvisionException.refused(texts.get("population.noMappingFile", file));
    } catch (IOException e) {
      throw unreadable(file, e, texts);
    }
    List<String> problems = new ArrayList<>();
    List<Mapped> mapped = new ArrayList<>();
    Map<String, Mapped> seen = new HashMap<>();
    boolean first = true;
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).replace("\ufeff", "").strip();
      int line = i + 1;
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      List<String> fields = fields(text);
      boolean header =
          first && !fields.isEmpty() && fields.get(0).chars().noneMatch(Character::isDigit);
      first = false;
      if (header) {
        continue;
      }
      String where = file + ":" + line + ": ";
      if (fields.size() != 2 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
        problems.add(where + texts.get("population.badLine"));
        continue;
      }
      String iris = InseeIrisBase.code(fields.get(0), 9);
      String id = fields.get(1);
      if (!IRIS_CODE.matcher(iris).matches()) {
        problems.add(where + texts.get("population.badIris", fields.get(0)));
        continue;
      }
      if (!areaIds.contains(id)) {
        problems.add(
            where + texts.get("population.unknownNeighbourhood", id, String.join(", ", areaIds)));
        continue;
      }
      Mapped before = seen.get(iris);
      if (before != null) {
        problems.add(where + texts.get("population.twice", iris, before.area(), before.line()));
        continue;
      }
      Mapped m = new Mapped(iris, id, line);
      seen.put(iris, m);
      mapped.add(m);
    }
    if (problems.isEmpty() && mapped.isEmpty()) {
      throw ProvisionException.refused(texts.get("population.noIris", file));
    }
    refuse(problems, file, err, texts);
    return mapped;
  }

  private static List<String> fields(String line) {
    CSVFormat format =
        CSVFormat.DEFAULT
            .builder()
            .setDelimiter(line.indexOf(';') >= 0 ? ';' : ',')
            .setTrim(true)
            .get();
    try (CSVParser parser =
        CSVParser.builder().setReader(new java.io.StringReader(line)).setFormat(format).get()) {
      List<CSVRecord> records = parser.getRecords();
      return records.isEmpty() ? List.of() : records.get(0).toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  private static void refuse(List<String> problems, Path file, PrintWriter err, Texts texts)
      throws ProvisionException {
    if (problems.isEmpty()) {
      return;
    }
    problems.forEach(err::println);
    int n = problems.size();
    throw ProvisionException.refused(texts.get("population.mistakes", n, file));
  }

  static ProvisionException unreadable(Path file, IOException e, Texts texts) {
    return new ProvisionException(
        ProvisionException.REFUSED, texts.get("population.unreadable", file, e.getMessage()), e);
  }

  /**
   * Whole people, adding up to the margin's rounded total: each figure rounded down, then the
   * people left given one each to the largest remainders (the first in order on a tie).
   */
  static Map<String, Long> round(Map<String, Double> values) {
    Map<String, Long> out = new LinkedHashMap<>();
    double total = 0;
    long floors = 0;
    for (Map.Entry<String, Double> e : values.entrySet()) {
      double v = Math.max(0, e.getValue());
      total += v;
      long floor = (long) Math.floor(v);
      floors += floor;
      out.put(e.getKey(), floor);
    }
    long left = Math.round(total) - floors;
    List<String> byRemainder = new ArrayList<>(values.keySet());
    byRemainder.sort(
        Comparator.comparingDouble(
                (String id) ->
                    Math.max(0, values.get(id)) - Math.floor(Math.max(0, values.get(id))))
            .reversed());
    for (int i = 0; i < left && i < byRemainder.size(); i++) {
      out.merge(byRemainder.get(i), 1L, Long::sum);
    }
    return out;
  }

  /** The YAML block, keys in the profile's order. */
  static String block(
      int year, Map<String, Long> ages, Map<String, Long> areas, List<String> outside) {
    StringBuilder b = new StringBuilder();
    b.append("population:\n");
    b.append("  source: \"")
        .append(String.format(java.util.Locale.ROOT, SOURCE, year))
        .append("\"\n");
    b.append("  ageBands:\n");
    ages.forEach((id, n) -> b.append("    ").append(id).append(": ").append(n).append('\n'));
    if (!areas.isEmpty()) {
      b.append("  neighbourhoods:\n");
      areas.forEach((id, n) -> b.append("    ").append(id).append(": ").append(n).append('\n'));
    }
    if (!outside.isEmpty()) {
      b.append("  outside: [").append(String.join(", ", outside)).append("]\n");
    }
    return b.toString();
  }

  private void check(
      PrintWriter w,
      Texts texts,
      InseeIrisBase.Sums sums,
      String commune,
      Map<String, InseeAgeBands.Formula> formulas,
      Map<String, Long> ages,
      Map<String, Long> areas,
      double agesTotal,
      double areasTotal,
      List<String> outside,
      List<String> gaps,
      ProfileSettings profile) {
    int iris = sums.iris().values().stream().mapToInt(Integer::intValue).sum();
    int width = 12;
    for (String id : ages.keySet()) {
      width = Math.max(width, id.length());
    }
    for (String id : areas.keySet()) {
      width = Math.max(width, id.length());
    }
    String row = "  %-" + width + "s %9d  %s%n";
    w.println(
        texts.get(
            "check.head",
            sums.year(),
            sums.charset(),
            sums.rows(),
            iris,
            commune == null
                ? texts.get("check.inAreas", areas.size())
                : texts.get("check.ofCommunes", commune.contains(",") ? 2 : 1, commune)));
    for (Map.Entry<String, Long> e : areas.entrySet()) {
      int n = sums.iris().getOrDefault(e.getKey(), 0);
      w.printf(row, e.getKey(), e.getValue(), n + " IRIS");
    }
    for (Map.Entry<String, Long> e : ages.entrySet()) {
      w.printf(
          row,
          e.getKey(),
          e.getValue(),
          "= " + formulas.get(e.getKey()).describe(sums.prefix() + "POP"));
    }
    long a = ages.values().stream().mapToLong(Long::longValue).sum();
    long p = Math.round(areasTotal);
    String whole =
        commune == null
            ? texts.get("check.wholeAreas")
            : texts.get("check.wholeCommune", sums.prefix() + "POP");
    if (Math.abs(a - p) <= 1) {
      w.println("  " + texts.get("check.match", a, whole, p));
    } else {
      w.println(
          "  "
              + texts.get(
                  "check.differ",
                  a,
                  whole,
                  p,
                  Math.abs(a - p),
                  gaps.isEmpty()
                      ? texts.get("check.columnsDontAdd", sums.prefix() + "POP")
                      : texts.get("check.gaps", String.join(", ", gaps))));
    }
    if (!outside.isEmpty()) {
      w.println(
          "  "
              + texts.get(
                  "check.outside",
                  outside.size(),
                  String.join(", ", outside),
                  area.neighbourhoods,
                  area.neighbourhoods.getFileName()));
    }
    if (commune != null && !profile.areas().isEmpty()) {
      w.println("  " + texts.get("check.note"));
    }
    w.println(texts.get("check.paste", event));
    w.flush();
  }
}

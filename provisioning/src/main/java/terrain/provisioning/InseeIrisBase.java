// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;

/**
 * INSEE's "Base infracommunale (IRIS) : évolution et structure de la population", as INSEE
 * publishes it: a {@code ;}-separated CSV, one row per IRIS (about 50,000 rows, 10 MB), columns
 * {@code IRIS}, {@code COM}, then {@code P21_POP}, {@code P21_POP0002}, ... (the year's prefix
 * varies with the edition), values with a decimal point (weighted counts), possibly empty. Read as
 * UTF-8 (with or without a byte order mark) or, when it is not UTF-8, as Latin-1 (Windows-1252).
 * Streamed: only the sums of the rows asked for are kept.
 */
final class InseeIrisBase {

  /** The column of the whole population, after the prefix. */
  static final String TOTAL = "POP";

  private static final Pattern YEAR = Pattern.compile("P(\\d{2})_POP");
  private static final Charset LATIN_1 = Charset.forName("windows-1252");

  /**
   * What was read.
   *
   * @param year the census year, e.g. 2021
   * @param prefix the columns' prefix, e.g. {@code P21_}
   * @param sums group to column (TOTAL or an age suffix) to its sum over the group's IRIS
   * @param iris group to the number of its IRIS found in the file
   * @param found the IRIS codes read that belong to a group
   * @param rows the rows read
   * @param charset the file's encoding, as found
   */
  record Sums(
      int year,
      String prefix,
      Map<String, Map<String, Double>> sums,
      Map<String, Integer> iris,
      Set<String> found,
      long rows,
      String charset) {}

  private InseeIrisBase() {}

  /**
   * Adds up the rows of {@code file} that {@code group} puts in a group.
   *
   * @param group the IRIS code and the commune code of a row to its group id, or null to skip it
   */
  static Sums read(Path file, BiFunction<String, String, String> group, Texts texts)
      throws ProvisionException {
    try {
      return read(file, group, StandardCharsets.UTF_8, texts);
    } catch (NotUtf8 e) {
      try {
        return read(file, group, LATIN_1, texts);
      } catch (NotUtf8 never) {
        throw new IllegalStateException("Latin-1 replaces what it cannot map", never);
      }
    }
  }

  /** An IRIS or commune code as INSEE writes it: a spreadsheet drops the leading 0 of 01-09. */
  static String code(String text, int length) {
    String code = text.strip().toUpperCase(java.util.Locale.ROOT);
    if (code.length() == length - 1 && code.chars().allMatch(Character::isDigit)) {
      return "0" + code;
    }
    return code;
  }

  private static final class NotUtf8 extends Exception {
    private static final long serialVersionUID = 1L;
  }

  private static Sums read(
      Path file, BiFunction<String, String, String> group, Charset charset, Texts texts)
      throws ProvisionException, NotUtf8 {
    CSVFormat format =
        CSVFormat.DEFAULT
            .builder()
            .setDelimiter(';')
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();
    try (Reader reader = reader(file, charset);
        CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
      List<String> header = parser.getHeaderNames();
      String prefix = prefix(file, header, texts);
      List<String> missing = new ArrayList<>();
      for (String name : required(prefix)) {
        if (!header.contains(name)) {
          missing.add(name);
        }
      }
      if (!missing.isEmpty()) {
        throw ProvisionException.refused(
            texts.get("insee.missingColumns", file, missing.size(), String.join(", ", missing)));
      }
      List<String> columns = new ArrayList<>();
      columns.add(TOTAL);
      columns.addAll(InseeAgeBands.suffixes());
      Map<String, Map<String, Double>> sums = new LinkedHashMap<>();
      Map<String, Integer> iris = new LinkedHashMap<>();
      Set<String> found = new HashSet<>();
      long rows = 0;
      for (CSVRecord row : parser) {
        rows++;
        long line = row.getRecordNumber() + 1;
        if (row.size() < header.size()) {
          throw ProvisionException.refused(
              texts.get("insee.shortRow", file, line, row.size(), header.size()));
        }
        String code = code(row.get("IRIS"), 9);
        String id = group.apply(code, code(row.get("COM"), 5));
        if (id == null) {
          continue;
        }
        found.add(code);
        iris.merge(id, 1, Integer::sum);
        Map<String, Double> into = sums.computeIfAbsent(id, k -> new LinkedHashMap<>());
        for (String column : columns) {
          into.merge(column, number(file, line, row, name(prefix, column), texts), Double::sum);
        }
      }
      return new Sums(
          2000 + Integer.parseInt(prefix.substring(1, 3)),
          prefix,
          sums,
          iris,
          found,
          rows,
          charset == StandardCharsets.UTF_8 ? "UTF-8" : "Latin-1");
    } catch (NoSuchFileException e) {
      throw ProvisionException.refused(texts.get("insee.noFile", file));
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        throw new NotUtf8();
      }
      throw PopulationCommand.unreadable(file, e.getCause(), texts);
    } catch (CharacterCodingException e) {
      throw new NotUtf8();
    } catch (IOException e) {
      throw PopulationCommand.unreadable(file, e, texts);
    }
  }

  /** UTF-8 refuses what is not UTF-8 (the file is then read again as Latin-1, which takes all). */
  private static Reader reader(Path file, Charset charset) throws IOException {
    BOMInputStream in = BOMInputStream.builder().setPath(file).get();
    CodingErrorAction action =
        charset == StandardCharsets.UTF_8 ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
    return new BufferedReader(
        new InputStreamReader(
            in, charset.newDecoder().onMalformedInput(action).onUnmappableCharacter(action)),
        1 << 16);
  }

  /** {@code P21_} from the header's {@code P21_POP}. */
  private static String prefix(Path file, List<String> header, Texts texts)
      throws ProvisionException {
    for (String name : header) {
      Matcher m = YEAR.matcher(name);
      if (m.matches()) {
        return "P" + m.group(1) + "_";
      }
    }
    String first = header.isEmpty() ? "" : header.get(0);
    throw ProvisionException.refused(
        texts.get(
            "insee.noPopColumn",
            file,
            (first.length() > 60 ? first.substring(0, 60) + "..." : first)
                + (header.size() > 1 ? ";..." : "")));
  }

  private static List<String> required(String prefix) {
    List<String> names = new ArrayList<>(List.of("IRIS", "COM", name(prefix, TOTAL)));
    InseeAgeBands.suffixes().forEach(s -> names.add(name(prefix, s)));
    return names;
  }

  /** The header's name of a column: {@code P21_POP}, {@code P21_POP0002}. */
  private static String name(String prefix, String column) {
    return column.equals(TOTAL) ? prefix + TOTAL : prefix + "POP" + column;
  }

  private static double number(Path file, long line, CSVRecord row, String name, Texts texts)
      throws ProvisionException {
    String text = row.get(name);
    if (text.isEmpty()) {
      return 0;
    }
    double value;
    try {
      value = Double.parseDouble(text.replace(',', '.'));
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw ProvisionException.refused(texts.get("insee.notNumber", file, line, name, text));
    }
    return value;
  }
}

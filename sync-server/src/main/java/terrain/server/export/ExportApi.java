// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.export;

import static terrain.http.Responses.sendError;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.http.Json;
import terrain.http.Responses;
import terrain.server.access.Access;
import terrain.server.access.Role;
import terrain.server.http.PageRoutes;
import terrain.store.StoreException;

/**
 * The open-data exports of an event (decision 0036), public like its results page:
 *
 * <pre>
 * GET /api/events/{id}/export.csv      header + one row per participation (text/csv; UTF-8)
 * GET /api/events/{id}/dictionary.csv  one row per column of export.csv
 * GET /api/events/{id}/export.json     the same rows and the dictionary in JSON
 * GET /api/events/{id}/pins.geojson    the pins of the map questions
 * ?full=1 with Authorization: Bearer ADMIN_TOKEN: device, sequence, time, unmasked profile
 * </pre>
 *
 * Every answer carries the licence: {@code Link: <...>; rel="license"} and the dictionary. CSV is
 * RFC 4180 (commas, CRLF, quotes doubled) written by Apache Commons CSV. Other paths are left to
 * the next handler.
 */
public final class ExportApi {
  private static final Logger log = LoggerFactory.getLogger(ExportApi.class);
  private static final String PREFIX = "/api/events/";
  private static final List<String> FILES =
      List.of("/export.csv", "/dictionary.csv", "/export.json", "/pins.geojson");
  private static final String CSV = "text/csv; charset=utf-8; header=present";

  private final Exports exports;
  private final Access access;

  public ExportApi(Exports exports, Access access) {
    this.exports = exports;
    this.access = access;
  }

  /** GET {@code /api/events/{id}/FILE} for each of the files. */
  public void routes(PageRoutes.Builder routes) {
    for (String file : FILES) {
      routes.get(
          "^" + PREFIX + ".+" + file.replace(".", "\\.") + "$",
          (request, response, callback) -> export(request, response, callback, Optional.of(file)));
    }
  }

  private void export(
      Request request, Response response, Callback callback, Optional<String> file) {
    String path = request.getHttpURI().getDecodedPath();
    String id = path.substring(PREFIX.length(), path.length() - file.get().length());
    boolean full = "1".equals(Request.extractQueryParameters(request).getValue("full"));
    if (full && !access.allows(request, response, callback, Role.ANALYST)) {
      return;
    }
    try {
      Optional<Exports.Table> table = exports.table(id, full);
      if (table.isEmpty()) {
        sendError(
            response,
            callback,
            404,
            "event ["
                + (id.length() > 80 ? id.substring(0, 80) : id)
                + "] is unknown here: its event file must be given (--event) or published");
        return;
      }
      response.getHeaders().put("Link", "<" + Exports.LICENCE_URL + ">; rel=\"license\"");
      String name = table.get().event().id() + file.get().replace('/', '-');
      response.getHeaders().put("Content-Disposition", "inline; filename=\"" + name + "\"");
      switch (file.get()) {
        case "/export.csv" -> send(response, callback, CSV, exportCsv(table.get()));
        case "/dictionary.csv" -> send(response, callback, CSV, dictionaryCsv(table.get()));
        case "/export.json" -> Responses.sendJson(response, callback, 200, exportJson(table.get()));
        default ->
            send(
                response,
                callback,
                "application/geo+json; charset=utf-8",
                new String(Json.write(geoJson(table.get())), StandardCharsets.UTF_8));
      }
    } catch (StoreException e) {
      log.warn("HTTP GET {} failed", path, e);
      sendError(response, callback, 503, "the database does not answer; try again shortly");
    }
  }

  private static void send(Response response, Callback callback, String type, String body) {
    Responses.send(response, callback, 200, type, body.getBytes(StandardCharsets.UTF_8));
  }

  static String exportCsv(Exports.Table table) {
    StringWriter out = new StringWriter();
    try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
      csv.printRecord(table.columns().stream().map(Exports.Column::name).toList());
      for (List<String> row : table.rows()) {
        csv.printRecord(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static String dictionaryCsv(Exports.Table table) {
    StringWriter out = new StringWriter();
    try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
      csv.printRecord("column", "question", "type", "codes", "labels", "labels_en", "description");
      for (Exports.Column column : table.columns()) {
        csv.printRecord(
            column.name(),
            column.question(),
            column.type(),
            String.join(" ", column.codes().keySet()),
            pairs(column.codes()),
            pairs(column.codesEn()),
            column.description());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String pairs(Map<String, String> codes) {
    return codes.entrySet().stream()
        .map(e -> e.getKey() + " = " + e.getValue())
        .collect(Collectors.joining(" ; "));
  }

  static ObjectNode exportJson(Exports.Table table) {
    ObjectNode root = Json.object();
    root.put("event", table.event().id());
    root.put("licence", Exports.LICENCE);
    root.put("licenceUrl", Exports.LICENCE_URL);
    ArrayNode columns = root.putArray("columns");
    for (Exports.Column column : table.columns()) {
      ObjectNode c = columns.addObject();
      c.put("column", column.name());
      c.put("question", column.question());
      c.put("type", column.type());
      ObjectNode codes = c.putObject("codes");
      column.codes().forEach(codes::put);
      ObjectNode en = c.putObject("codesEn");
      column.codesEn().forEach(en::put);
      c.put("description", column.description());
    }
    ArrayNode rows = root.putArray("participations");
    for (List<String> row : table.rows()) {
      ObjectNode r = rows.addObject();
      for (int i = 0; i < row.size(); i++) {
        if (!row.get(i).isEmpty()) {
          r.put(table.columns().get(i).name(), row.get(i));
        }
      }
    }
    return root;
  }

  /**
   * The pins as GeoJSON features. The map is a picture without geo-reference: each feature's
   * geometry is null (RFC 7946, section 3.2) and its position on the picture is in its properties,
   * per mille of the width ({@code x}, from the left) and height ({@code y}, from the top).
   */
  static ObjectNode geoJson(Exports.Table table) {
    ObjectNode root = Json.object();
    root.put("type", "FeatureCollection");
    ObjectNode meta = root.putObject("terrain");
    meta.put("event", table.event().id());
    meta.put("licence", Exports.LICENCE);
    meta.put(
        "coordinates",
        "per mille of the map picture (x from the left, y from the top); the picture has no"
            + " geo-reference, so geometry is null");
    ArrayNode features = root.putArray("features");
    for (Exports.Pin pin : table.pins()) {
      ObjectNode f = features.addObject();
      f.put("type", "Feature");
      f.putNull("geometry");
      ObjectNode p = f.putObject("properties");
      p.put("participation", pin.participation());
      p.put("question", pin.questionId());
      p.put("x", pin.x());
      p.put("y", pin.y());
      if (pin.zone().isEmpty()) {
        p.putNull("zone");
      } else {
        p.put("zone", pin.zone());
      }
    }
    return root;
  }
}

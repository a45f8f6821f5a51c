// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import static terrain.http.Responses.sendError;
import static terrain.http.Responses.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.results.Representation;
import terrain.http.Json;
import terrain.server.http.PageRoutes;
import terrain.store.StoreException;

/**
 * {@code GET /api/events/{id}/representativeness}: who took part against the population, and the
 * choice questions' shares raw and weighted (decision 0036). Public, like the results: only margins
 * and shares, counts of 1 to 4 as null.
 *
 * <pre>
 * 200 {"event","source","dimensions":{"ageBand":[{"band","label","respondents","population",
 *      "populationShare","respondentShare","ratio"}...],"neighbourhood":[...]},"outside":[...],
 *      "warnings":{"fr":[...],"en":[...]},"raking":{"base","cycles","converged","largestGap",
 *      "tolerance","maxCycles","minWeight","maxWeight","leftOut":{...}}|null,
 *      "raw":{questionId:{optionId:share}},"weighted":{questionId:{optionId:share}}}
 * 404 the event is unknown here, or its file gives no population
 * </pre>
 *
 * Other paths are left to the next handler.
 */
public final class RepresentativenessApi {
  private static final Logger log = LoggerFactory.getLogger(RepresentativenessApi.class);
  private static final String PREFIX = "/api/events/";
  private static final String SUFFIX = "/representativeness";

  private final Representativeness representativeness;

  public RepresentativenessApi(Representativeness representativeness) {
    this.representativeness = representativeness;
  }

  /** GET {@code /api/events/{id}/representativeness}. */
  public void routes(PageRoutes.Builder routes) {
    routes.get("^" + PREFIX + ".+" + SUFFIX + "$", this::report);
  }

  private void report(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getDecodedPath();
    String id = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
    try {
      Optional<Representativeness.Report> report = representativeness.report(id);
      if (report.isEmpty()) {
        sendError(
            response,
            callback,
            404,
            "event ["
                + (id.length() > 80 ? id.substring(0, 80) : id)
                + "] is unknown here or its event file gives no population: add population:"
                + " (see examples/events/market-day.yaml) and publish it again");
        return;
      }
      sendJson(response, callback, 200, json(report.get()));
    } catch (StoreException e) {
      log.warn("HTTP GET {} failed", path, e);
      sendError(response, callback, 503, "the database does not answer; try again shortly");
    }
  }

  static ObjectNode json(Representativeness.Report report) {
    ObjectNode root = Json.object();
    root.put("event", report.event().id());
    root.put("source", report.population().source());
    ObjectNode dimensions = root.putObject("dimensions");
    for (Representation.Comparison comparison : report.representation().dimensions()) {
      ArrayNode bands = dimensions.putArray(comparison.dimension().json());
      for (Representation.Band band : comparison.bands()) {
        ObjectNode b = bands.addObject();
        b.put("band", band.id());
        b.put("label", Labels.label(report.event(), comparison.dimension(), band.id(), "fr"));
        if (band.respondents() == null) {
          b.putNull("respondents");
        } else {
          b.put("respondents", band.respondents().longValue());
        }
        b.put("population", band.population());
        b.put("populationShare", band.populationShare());
        number(b, "respondentShare", band.respondentShare());
        number(b, "ratio", band.ratio());
      }
    }
    ArrayNode outside = root.putArray("outside");
    report.population().outside().forEach(outside::add);
    ObjectNode warnings = root.putObject("warnings");
    for (String tag : List.of("fr", "en")) {
      ArrayNode lines = warnings.putArray(tag);
      report
          .representation()
          .lines(Locale.forLanguageTag(tag), m -> Labels.label(report.event(), m, tag))
          .forEach(lines::add);
    }
    ObjectNode raw = root.putObject("raw");
    ObjectNode weighted = root.putObject("weighted");
    if (report.weighting().isEmpty()) {
      root.putNull("raking");
      return root;
    }
    Representativeness.Weighting w = report.weighting().get();
    ObjectNode raking = root.putObject("raking");
    raking.put("base", w.base());
    raking.put("cycles", w.cycles());
    raking.put("converged", w.converged());
    raking.put("largestGap", w.largestGap());
    raking.put("tolerance", w.settings().tolerance());
    raking.put("maxCycles", w.settings().maxCycles());
    raking.put("minWeight", w.settings().minWeight());
    raking.put("maxWeight", w.settings().maxWeight());
    ObjectNode leftOut = raking.putObject("leftOut");
    w.leftOut().forEach((d, ids) -> ids.forEach(leftOut.withArray(d.json())::add));
    for (Representativeness.Shares shares : w.questions()) {
      shares(raw.putObject(shares.questionId()), shares.raw());
      shares(weighted.putObject(shares.questionId()), shares.weighted());
    }
    return root;
  }

  private static void shares(ObjectNode out, Map<String, Double> shares) {
    shares.forEach((option, share) -> number(out, option, share));
  }

  private static void number(ObjectNode out, String key, Double value) {
    if (value == null) {
      out.putNull(key);
    } else {
      out.put(key, value);
    }
  }
}

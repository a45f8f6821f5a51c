// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.panel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import terrain.hardware.printer.PrintResult;
import terrain.hardware.printer.Slip;
import terrain.http.Endpoint;
import terrain.http.Responses;
import terrain.http.Routes;

/**
 * {@code POST /api/slips/status} and {@code POST /api/slips/day} print a slip; {@code GET} of the
 * same paths shows its text without printing. Loopback clients only (on the hub, or through an SSH
 * tunnel): a visitor on the stall's Wi-Fi cannot empty the paper roll. {@code ?lang=en} for
 * English.
 */
public final class SlipRoutes {
  private SlipRoutes() {}

  interface SlipSource {
    Slip make(Locale locale) throws Exception;
  }

  public static void register(Routes.Builder routes, SlipDesk desk) {
    routes
        .get("/api/slips/status", show(desk::statusSlip))
        .post("/api/slips/status", print(desk, desk::statusSlip))
        .get("/api/slips/day", show(desk::daySlip))
        .post("/api/slips/day", print(desk, desk::daySlip));
  }

  private static Endpoint show(SlipSource source) {
    return (request, response, callback) -> {
      if (!loopback(request)) {
        refuse(response, callback);
        return;
      }
      Slip slip = source.make(locale(request));
      Responses.sendJson(response, callback, 200, slip);
    };
  }

  private static Endpoint print(SlipDesk desk, SlipSource source) {
    return (request, response, callback) -> {
      if (!loopback(request)) {
        refuse(response, callback);
        return;
      }
      Slip slip = source.make(locale(request));
      PrintResult result = desk.print(slip);
      if (result instanceof PrintResult.Printed printed) {
        Responses.sendJson(
            response, callback, 200, Map.of("printed", true, "where", printed.location()));
      } else {
        Responses.sendJson(
            response,
            callback,
            503,
            Map.of("printed", false, "why", String.valueOf(describe(result))));
      }
    };
  }

  private static String describe(PrintResult result) {
    if (result instanceof PrintResult.CannotWrite c) {
      return c.detail();
    }
    if (result instanceof PrintResult.NotReady n) {
      return n.location() + ": " + n.status().code();
    }
    return result.toString();
  }

  private static void refuse(
      org.eclipse.jetty.server.Response response, org.eclipse.jetty.util.Callback callback) {
    Responses.sendError(
        response,
        callback,
        403,
        "slips print from the hub itself only: use curl on the hub (or an SSH tunnel), or the"
            + " hub's button");
  }

  static boolean loopback(Request request) {
    SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
    return peer instanceof InetSocketAddress address
        && address.getAddress() != null
        && address.getAddress().isLoopbackAddress();
  }

  private static Locale locale(Request request) {
    String query = request.getHttpURI().getQuery();
    return query != null && query.contains("lang=en") ? Locale.ENGLISH : Locale.FRENCH;
  }
}

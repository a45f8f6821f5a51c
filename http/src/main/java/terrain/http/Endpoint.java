// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers one route: writes a response and completes the callback. Runs on a Jetty thread and may
 * block briefly (a database read). What it throws is answered by {@link Routes.Fallback#failed}.
 */
@FunctionalInterface
public interface Endpoint {
  void handle(Request request, Response response, Callback callback) throws Exception;
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A node's Prometheus metrics (decision 0015): a registry of its own (never the JVM-wide default,
 * so two nodes in one test JVM keep theirs apart), the {@code GET /metrics} endpoint in the
 * Prometheus text format, and a handler wrapper timing every HTTP request by route pattern.
 *
 * <p>Names carry their unit ({@code _seconds}, {@code _records}) and counters end in {@code
 * _total}, as Prometheus' naming guide asks; every name starts with {@code terrain_}.
 *
 * <p>{@code /metrics} answers only requests from this machine's loopback addresses unless built
 * public ({@code --metrics-public}): a scraper on the same machine, or an SSH tunnel, reads it; the
 * world does not see the node's volumes. A reverse proxy on the same machine must not forward it.
 */
public final class Metrics {
  /** The request attribute where {@link Routes} leaves the path spec that matched. */
  public static final String ROUTE = "terrain.http.route";

  /** HTTP request durations, in seconds, by method, route pattern and status. */
  public static final String HTTP_DURATION = "terrain_http_request_duration_seconds";

  /** From 5 ms to 10 s: a claim takes milliseconds; a results page of a big event a second. */
  private static final double[] HTTP_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  /** Methods kept as labels; any other is {@code other} (a client may send any token). */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Histogram http;
  private final boolean open;

  private Metrics(boolean open) {
    this.open = open;
    this.http =
        Histogram.builder()
            .name(HTTP_DURATION)
            .help("HTTP requests answered, by method, route pattern and status, in seconds")
            .labelNames("method", "route", "status")
            .classicUpperBounds(HTTP_BUCKETS)
            .classicOnly()
            .register(registry);
  }

  /** Metrics whose {@code /metrics} answers loopback clients only. */
  public static Metrics loopbackOnly() {
    return new Metrics(false);
  }

  /** Metrics whose {@code /metrics} answers anyone who reaches the port. */
  public static Metrics open() {
    return new Metrics(true);
  }

  /** {@link #open()} when {@code open}, else {@link #loopbackOnly()}. */
  public static Metrics of(boolean open) {
    return new Metrics(open);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** A counter; {@code name} ends in {@code _total}. */
  public Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  /** A gauge set by the code. */
  public Gauge gauge(String name, String help, String... labels) {
    return Gauge.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  /** A counter read at each scrape from a count the code keeps anyway. */
  public void counter(String name, String help, DoubleSupplier value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(callback -> callback.call(value.getAsDouble()))
        .register(registry);
  }

  /** A gauge read at each scrape. */
  public void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(callback -> callback.call(value.getAsDouble()))
        .register(registry);
  }

  /**
   * The ingest's commits, hub and server alike (decision 0057): their wall time, the committing
   * thread's time on a core and its time waiting for a core (negative: not measured, shown as 0),
   * each in nanoseconds as the receiver keeps them.
   */
  public void ingestCommits(
      LongSupplier wallNanos, LongSupplier cpuNanos, LongSupplier queuedNanos) {
    counter(
        "terrain_ingest_commit_seconds_total",
        "Wall time spent storing the committed batches (records, hooks, log write)",
        () -> wallNanos.getAsLong() / 1e9);
    counter(
        "terrain_ingest_commit_cpu_seconds_total",
        "The committing thread's time on a core in those commits",
        () -> cpuNanos.getAsLong() / 1e9);
    counter(
        "terrain_ingest_commit_waiting_for_core_seconds_total",
        "The committing thread's time runnable but waiting for a core in those commits (Linux)",
        () -> Math.max(0, queuedNanos.getAsLong()) / 1e9);
  }

  /** A gauge with one label, read at each scrape: one series per key of the map. */
  public void gauge(
      String name, String help, String label, Supplier<Map<String, ? extends Number>> values) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(label)
        .callback(callback -> values.get().forEach((key, v) -> callback.call(v.doubleValue(), key)))
        .register(registry);
  }

  /** Adds {@code GET /metrics} to {@code routes}. */
  public Routes.Builder register(Routes.Builder routes) {
    return routes.get("/metrics", this::scrape);
  }

  private void scrape(Request request, Response response, Callback callback) throws IOException {
    if (!open && !fromLoopback(request)) {
      Responses.sendError(
          response,
          callback,
          403,
          "metrics answer this machine only; scrape them locally, or start with --metrics-public"
              + " behind a firewall");
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    writer.write(out, registry.scrape());
    Responses.send(response, callback, 200, writer.getContentType(), out.toByteArray());
  }

  private static boolean fromLoopback(Request request) {
    SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
    if (remote instanceof InetSocketAddress address) {
      InetAddress ip = address.getAddress();
      return ip != null && ip.isLoopbackAddress();
    }
    return false;
  }

  /** {@code handler}, every answer timed into {@link #HTTP_DURATION}. */
  public Handler timed(Handler handler) {
    return new Timed(handler);
  }

  /**
   * The route label of a request: the path spec its {@link Routes} matched; for handlers without
   * routes, the path's first segment (two under {@code /api}); {@code unmatched} for a 404 without
   * a route, so that probing random paths does not grow the series without bound.
   */
  static String route(Request request, int status) {
    Object matched = request.getAttribute(ROUTE);
    if (matched != null) {
      return matched.toString();
    }
    if (status == 404) {
      return "unmatched";
    }
    String path = Request.getPathInContext(request);
    if (path == null || path.isEmpty() || path.equals("/")) {
      return "/";
    }
    String[] parts = path.split("/", 4);
    if (parts.length > 2 && parts[1].equals("api")) {
      return "/api/" + parts[2] + (parts.length > 3 ? "/*" : "");
    }
    return "/" + parts[1] + (parts.length > 2 ? "/*" : "");
  }

  private final class Timed extends Handler.Wrapper {
    Timed(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      long start = System.nanoTime();
      Callback timed =
          new Callback.Nested(callback) {
            @Override
            public void succeeded() {
              observe(request, response.getStatus(), start);
              super.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
              observe(request, response.getStatus(), start);
              super.failed(failure);
            }
          };
      boolean handled = super.handle(request, response, timed);
      if (!handled) {
        observe(request, 404, start);
      }
      return handled;
    }

    private void observe(Request request, int status, long start) {
      String method = METHODS.contains(request.getMethod()) ? request.getMethod() : "other";
      http.labelValues(method, route(request, status), Integer.toString(status))
          .observe((System.nanoTime() - start) / 1e9);
    }
  }
}

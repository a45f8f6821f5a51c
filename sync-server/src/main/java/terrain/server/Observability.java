// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import io.prometheus.metrics.core.metrics.Counter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import terrain.broker.EmbeddedBroker;
import terrain.http.Health;
import terrain.http.Metrics;
import terrain.http.Routes;
import terrain.server.claim.Claims;
import terrain.server.claim.SignaturesAtRest;
import terrain.server.devices.Enrolments;
import terrain.server.http.PageRoutes;
import terrain.server.ingest.Ingest;
import terrain.server.ingest.SetAside;
import terrain.server.ledger.Ledger;
import terrain.store.Database;
import terrain.store.StoreException;

/**
 * The server's health checks and metrics (decision 0015):
 *
 * <pre>
 * GET /healthz  200 {"status":"up"}
 * GET /readyz   200 | 503 {"status":...,"checks":{"database","broker" (embedded only),"ingest"}}
 * GET /metrics  Prometheus text; loopback clients only unless --metrics-public
 * </pre>
 */
final class Observability {
  /** How long the database and the broker may take to answer a readiness check. */
  static final Duration PROBE = Duration.ofMillis(900);

  private static final Set<String> PATHS = Set.of("/healthz", "/readyz", "/metrics");

  private final Metrics metrics;
  private final Health health;

  private Observability(Metrics metrics, Health health) {
    this.metrics = metrics;
    this.health = health;
  }

  /**
   * @param broker the embedded broker, null with an external one (the ingest's link checks it)
   */
  static Observability create(
      boolean metricsPublic,
      Database database,
      EmbeddedBroker broker,
      Ingest ingest,
      SetAside setAside,
      Claims claims,
      SignaturesAtRest signatures,
      Ledger ledger,
      Enrolments enrolments) {
    Metrics metrics = Metrics.of(metricsPublic);
    Health.Builder checks =
        Health.builder()
            .required(
                "database",
                () -> {
                  database.ping(PROBE);
                  return Health.State.ok();
                });
    if (broker != null) {
      checks.required(
          "broker",
          () ->
              Health.State.of(
                  broker.isRunning(PROBE),
                  "the embedded MQTT broker does not accept connections on port "
                      + broker.port()
                      + "; see the log and restart the server"));
    }
    checks.required(
        "ingest",
        () ->
            Health.State.of(
                ingest.isUp(),
                "not connected to "
                    + ingest.brokerUrl()
                    + " ("
                    + ingest.lastProblem()
                    + "); it keeps trying: check that the broker runs"));

    metrics.counter(
        "terrain_ingest_batches_total",
        "Batches committed and acknowledged by this instance",
        ingest::batches);
    metrics.counter(
        "terrain_ingest_records_received_total",
        "Records in the committed batches, new or already stored",
        ingest::recordsIn);
    metrics.counter(
        "terrain_ingest_records_committed_total",
        "Records newly stored by this instance",
        ingest::received);
    var commits = ingest.commitTimes();
    metrics.ingestCommits(commits::wallNanos, commits::cpuNanos, commits::queuedNanos);
    metrics.counter(
        "terrain_ingest_payloads_rejected_total",
        "Payloads refused (not a batch, wrong sender)",
        ingest::rejected);
    metrics.counter(
        "terrain_ingest_records_conflicts_total",
        "Records kept aside because their identity was reused with other content",
        ingest::conflicts);
    metrics.counter(
        "terrain_records_quarantined_total",
        "Records this instance could not store, quarantined with their reason and acknowledged",
        ingest::quarantined);
    metrics.gauge(
        "terrain_ingest_up", "1 while the ingest is connected to the broker", () -> up(ingest));
    metrics.gauge(
        "terrain_ingest_hub_lag_seconds",
        "Per hub, how long the oldest record of its last batch waited between the hub and here",
        "hub",
        () -> lags(ingest.hubLagMillis()));
    metrics.gauge(
        "terrain_ingest_records_set_aside",
        "Records of revoked devices kept aside (counted in the database at each scrape)",
        () -> setAsideCount(setAside));
    metrics.gauge(
        "terrain_db_pool_connections_active",
        "Database connections borrowed from the pool",
        () -> database.poolStats().map(s -> (double) s.active()).orElse(0.0));
    metrics.gauge(
        "terrain_db_pool_connections_pending",
        "Requests waiting for a database connection",
        () -> database.poolStats().map(s -> (double) s.pending()).orElse(0.0));

    metrics.counter(
        "terrain_claim_signature_verifies_total",
        "Ticket signatures verified by checks and claims (not those checked at rest before)",
        claims::verifies);
    metrics.counter(
        "terrain_tickets_checked_at_rest_total",
        "Synced tickets whose signature this instance verified at rest (decision 0054)",
        signatures::verified);
    metrics.counter(
        "terrain_tickets_forged_at_rest_total",
        "Synced tickets whose signature did not verify when this instance checked them at rest",
        signatures::failed);
    Counter claimed =
        metrics.counter("terrain_claims_total", "Ticket claims by outcome", "outcome");
    claims.observe(outcome -> claimed.labelValues(outcomeName(outcome)).inc());
    Counter spends = metrics.counter("terrain_spends_total", "Spends by outcome", "outcome");
    Counter briqs =
        metrics.counter("terrain_spent_briqs_total", "Briqs moved from wallets to partners");
    ledger.observeSpends(
        result -> {
          spends.labelValues(outcomeName(result)).inc();
          if (result instanceof Ledger.Spent spent) {
            briqs.inc(spent.amount());
          }
        });
    Counter enrolled =
        metrics.counter("terrain_enrolments_total", "Device enrolments by outcome", "outcome");
    enrolments.observeEnrolments(result -> enrolled.labelValues(outcomeName(result)).inc());
    return new Observability(metrics, checks.build());
  }

  Metrics metrics() {
    return metrics;
  }

  /**
   * {@code /healthz}, {@code /readyz} and {@code /metrics}: the HTTP kit's health checks and
   * metrics answer them (their own 405 in JSON), registered exactly in the server's router.
   */
  void routes(PageRoutes.Builder routes) {
    Routes.Builder builder = Routes.builder();
    health.register(builder);
    metrics.register(builder);
    Routes kit = builder.build();
    for (String path : PATHS) {
      routes.other(path, kit::handle);
    }
  }

  private static double up(Ingest ingest) {
    return ingest.isUp() ? 1 : 0;
  }

  private static Map<String, Double> lags(Map<terrain.core.record.DeviceId, Long> millis) {
    Map<String, Double> seconds = new TreeMap<>();
    millis.forEach((hub, lag) -> seconds.put(hub.value(), lag / 1000.0));
    return seconds;
  }

  private static double setAsideCount(SetAside setAside) {
    try {
      return setAside.count();
    } catch (StoreException e) {
      return Double.NaN;
    }
  }

  /** {@code AlreadyClaimed} is {@code already_claimed}: the record's name in snake case. */
  static String outcomeName(Object outcome) {
    String name = outcome.getClass().getSimpleName();
    return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}

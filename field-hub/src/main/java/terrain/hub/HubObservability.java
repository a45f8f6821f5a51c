// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import java.time.Duration;
import terrain.broker.EmbeddedBroker;
import terrain.http.Health;
import terrain.http.Metrics;
import terrain.hub.ingest.DeviceIngest;
import terrain.hub.uplink.Uplink;
import terrain.store.Database;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * The hub's health checks and metrics (decision 0015). Ready means the hub can take the kiosks'
 * records: its store answers, its broker runs, its ingest is subscribed. The uplink is reported but
 * never makes the hub unready: a hub works offline and sends what waits once the server is back.
 */
final class HubObservability {
  /** How long the store and the broker may take to answer a readiness check. */
  static final Duration PROBE = Duration.ofMillis(900);

  private HubObservability() {}

  static Health health(
      Database database, EmbeddedBroker broker, DeviceIngest ingest, Uplink uplink) {
    return Health.builder()
        .required(
            "database",
            () -> {
              database.ping(PROBE);
              return Health.State.ok();
            })
        .required(
            "broker",
            () ->
                Health.State.of(
                    broker.isRunning(PROBE),
                    "the hub's MQTT broker does not accept connections on port "
                        + broker.port()
                        + "; see the log and restart the hub"))
        .required(
            "ingest",
            () ->
                Health.State.of(
                    ingest.isConnected(),
                    "the ingest is not connected to the hub's own broker; it keeps trying, see the"
                        + " log"))
        .advisory(
            "uplink",
            () ->
                Health.State.of(
                    uplink.isUp(),
                    "the server at "
                        + uplink.serverUri()
                        + " is not reachable ("
                        + uplink.problem()
                        + "); records wait on the hub and leave when it is back"))
        .build();
  }

  static Metrics metrics(boolean open, RecordStore store, DeviceIngest ingest, Uplink uplink) {
    Metrics metrics = Metrics.of(open);
    var commits = ingest.commitTimes();
    metrics.ingestCommits(commits::wallNanos, commits::cpuNanos, commits::queuedNanos);
    metrics.counter(
        "terrain_ingest_batches_total",
        "Batches of kiosks and tablets committed and acknowledged",
        ingest::batchCount);
    metrics.counter(
        "terrain_ingest_records_received_total",
        "Records in the committed batches, new or already stored",
        ingest::receivedCount);
    metrics.counter(
        "terrain_ingest_records_committed_total",
        "Records newly stored by the hub",
        ingest::acceptedCount);
    metrics.counter(
        "terrain_ingest_payloads_rejected_total",
        "Payloads refused (not a batch, records of another device)",
        ingest::rejectedCount);
    metrics.counter(
        "terrain_ingest_records_conflicts_total",
        "Records kept aside because their identity was reused with other content",
        ingest::conflictCount);
    metrics.counter(
        "terrain_records_quarantined_total",
        "Records the hub could not store, quarantined with their reason and acknowledged",
        ingest::quarantinedCount);
    metrics.gauge(
        "terrain_ingest_records_set_aside",
        "Records of revoked devices kept aside in the hub's store",
        ingest::setAsideCount);
    metrics.gauge(
        "terrain_hub_records_pending",
        "Records the server has not acknowledged yet (counted in the store at each scrape)",
        () -> pending(store));
    metrics.gauge(
        "terrain_hub_outbox_held_bytes",
        "Bytes of pending records held in memory for the uplink (decision 0071), at most "
            + Hub.OUTBOX_MEMORY,
        () -> store.outboxHeld().bytes());
    metrics.gauge(
        "terrain_hub_uplink_up",
        "1 while the uplink to the server is connected",
        () -> {
          return uplink.isUp() ? 1 : 0;
        });
    metrics.counter(
        "terrain_hub_uplink_records_sent_total", "Records sent to the server", uplink::recordsSent);
    metrics.counter(
        "terrain_hub_uplink_sent_bytes_total",
        "Bytes of batches sent to the server",
        uplink::bytesSent);
    metrics.gauge(
        "terrain_hub_devices_online",
        "Kiosks and tablets whose last presence says online",
        () -> ingest.presence().snapshot().values().stream().filter(p -> p.online()).count());
    return metrics;
  }

  private static double pending(RecordStore store) {
    try {
      return store.pendingCount();
    } catch (StoreException e) {
      return Double.NaN;
    }
  }
}

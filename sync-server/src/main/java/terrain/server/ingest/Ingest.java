// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.wire.Topics;
import terrain.store.RecordStore;
import terrain.transport.MqttLink;
import terrain.transport.Receiver;

/**
 * The server's MQTT ingest: one {@code svc:ingest-XXXXXXXX} client that receives the batches of
 * hubs (and of devices that talk to the server directly) through the shared subscription group
 * {@code terrain-ingest}, so that several server instances on one broker split the work; commits
 * them with the results hook in the same transaction; and acknowledges them to their sender.
 */
public final class Ingest implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Ingest.class);

  /** The topic filters of the ingest in the shared-subscription {@code group}. */
  public static List<String> filters(String group) {
    String prefix = Topics.ingestGroup(group);
    return List.of(prefix + Topics.ALL_HUB_UP, prefix + Topics.ALL_DEVICE_UP);
  }

  /**
   * How long the broker keeps this client's session after it vanished without saying goodbye (kill
   * -9, power cut). The client id is new on every start, so a dead session is never resumed; while
   * it lasts, the broker may still queue a share of the group's messages for it. Short is safe:
   * unacknowledged batches are sent again by their senders.
   */
  static final Duration SESSION_EXPIRY = Duration.ofMinutes(2);

  private final String name;
  private final Receiver receiver;
  private final Receiver.Pipeline pipeline;

  /**
   * Batches decoded and waiting for their commit: two keep the committing thread busy while the
   * next one is decoded, and bound what a stop leaves unacknowledged (the senders send it again).
   * {@code -Dterrain.ingest.pipeline=0} commits on the delivering thread, as before: for comparing
   * the two in {@code bench sync}.
   */
  static final int PIPELINE_DEPTH = Integer.getInteger("terrain.ingest.pipeline", 2);

  private final MqttLink link;

  /**
   * @param hook runs in each committing transaction with the new records (the results tallies)
   * @param passwordFor the password of a username, derived from the site key; external brokers with
   *     anonymous access ignore it
   */
  public Ingest(
      RecordStore store,
      RecordStore.InsertHook hook,
      String brokerUrl,
      UnaryOperator<String> passwordFor,
      ScheduledExecutorService scheduler,
      RandomGenerator random,
      Clock clock)
      throws MqttException {
    this(
        store,
        hook,
        brokerUrl,
        null,
        Topics.DEFAULT_INGEST_GROUP,
        passwordFor,
        scheduler,
        random,
        clock);
  }

  /**
   * As the constructor without a pin; over {@code ssl://}, {@code brokerPin} (hex SHA-256 of the
   * broker's certificate, see {@link MqttLink.Settings#withServerPin}) or, when null, the system's
   * CAs vouch for the broker; {@code group} is the shared-subscription group ({@code
   * --ingest-group}) whose members split the batches between them.
   */
  public Ingest(
      RecordStore store,
      RecordStore.InsertHook hook,
      String brokerUrl,
      String brokerPin,
      String group,
      UnaryOperator<String> passwordFor,
      ScheduledExecutorService scheduler,
      RandomGenerator random,
      Clock clock)
      throws MqttException {
    this(
        store,
        hook,
        brokerUrl,
        brokerPin,
        group,
        passwordFor,
        scheduler,
        random,
        clock,
        new BatchSender());
  }

  /**
   * As the constructor above; {@code sender} tells the hooks which hub sent the batch they commit
   * (the results' breakdown by site).
   */
  public Ingest(
      RecordStore store,
      RecordStore.InsertHook hook,
      String brokerUrl,
      String brokerPin,
      String group,
      UnaryOperator<String> passwordFor,
      ScheduledExecutorService scheduler,
      RandomGenerator random,
      Clock clock,
      BatchSender sender)
      throws MqttException {
    List<String> filters = filters(group);
    byte[] suffix = new byte[4];
    random.nextBytes(suffix);
    this.name = "ingest-" + HexFormat.of().formatHex(suffix);
    String username = "svc:" + name;
    this.receiver = new Receiver(store, DeviceId.of(name), false, hook, clock, result -> {});
    // Batches decoded and screened on the delivering thread, committed on the pipeline's, the
    // hooks told there which hub sent each one (decision 0056).
    this.pipeline =
        PIPELINE_DEPTH > 0 ? new Receiver.Pipeline(name + "-commit", PIPELINE_DEPTH) : null;
    receiver.pipeline(pipeline, sender::during);
    MqttLink.Settings settings =
        MqttLink.Settings.of(brokerUrl, name, username, passwordFor.apply(username))
            .withSessionExpiry(SESSION_EXPIRY)
            .endingSessionOnClose()
            .withServerPin(brokerPin, "--tls-cert");
    this.link =
        new MqttLink(
            settings,
            filters.stream()
                .map(filter -> new MqttLink.Subscription(filter, 1, receiver::handle))
                .toList(),
            new MqttLink.Listener() {
              @Override
              public void connected() {
                log.info("Ingest {} receiving batches on {} via {}", name, filters, brokerUrl);
              }

              @Override
              public void disconnected(String reason) {
                log.warn(
                    "Ingest {} lost the broker {} ({}); reconnecting. Senders keep their records"
                        + " until acknowledged.",
                    name,
                    brokerUrl,
                    reason);
              }
            },
            scheduler,
            random);
    receiver.attach(link);
  }

  /** Starts connecting in the background. */
  public void start() {
    link.start();
  }

  /** Waits until the subscriptions are in place; false if that did not happen in time. */
  public boolean awaitUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!link.isConnected()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /**
   * Publishes at QoS 1 through the ingest's own connection (a service login): the server's signed
   * configurations. Fails at once when the link is down.
   */
  public java.util.concurrent.CompletableFuture<Void> publish(
      String topic, byte[] payload, boolean retained) {
    return link.publish(topic, payload, retained);
  }

  /** The client and receiver id, {@code ingest-XXXXXXXX}. */
  public String name() {
    return name;
  }

  public String brokerUrl() {
    return link.serverUri();
  }

  public boolean isUp() {
    return link.isConnected();
  }

  /** Why the ingest is down, or empty when it is up. */
  public String lastProblem() {
    return link.lastProblem();
  }

  /** Records newly committed by this instance since it started. */
  public long received() {
    return receiver.acceptedCount();
  }

  /** Payloads rejected (not a valid batch, wrong sender) by this instance since it started. */
  public long rejected() {
    return receiver.rejectedCount();
  }

  /** Batches committed and acknowledged by this instance since it started. */
  public long batches() {
    return receiver.batchCount();
  }

  /** Records in those batches, new or already stored, since start. */
  public long recordsIn() {
    return receiver.receivedCount();
  }

  /** What the commits took since start ({@link Receiver#commitTimes}, decision 0057). */
  public terrain.transport.CommitTimes commitTimes() {
    return receiver.commitTimes();
  }

  /** Records kept aside as conflicts (an identity reused with other content) since start. */
  public long conflicts() {
    return receiver.conflictCount();
  }

  /** Records this instance quarantined since it started (decision 0016). */
  public long quarantined() {
    return receiver.quarantinedCount();
  }

  /** How far behind each hub heard from is, in milliseconds (see {@link Receiver#hubLagMillis}). */
  public java.util.Map<DeviceId, Long> hubLagMillis() {
    return receiver.hubLagMillis();
  }

  @Override
  public void close() {
    link.close();
    if (pipeline != null) {
      pipeline.close();
    }
  }
}

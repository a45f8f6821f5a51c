// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.sync;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.kiosk.session.KioskEngine;
import terrain.store.StoreException;
import terrain.transport.MqttLink;

/**
 * Keeps a kiosk's {@link SyncAgent} running, or paused while the system puts the app to sleep: on
 * pause the agent says offline and closes (its reconnect loop stops; the database has every record
 * committed already), on resume a fresh agent starts and resends whatever the hub has not
 * acknowledged. Without a hub there is nothing to run, and the status says so.
 */
public final class SyncRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

  /**
   * What staff see of the sending.
   *
   * @param hubGiven a hub address was given
   * @param paused sending is paused (app in the background)
   * @param pending records not yet acknowledged by the hub
   * @param agent the agent's own status while it runs
   */
  public record View(
      boolean hubGiven, boolean paused, long pending, Optional<SyncAgent.Status> agent) {}

  private final KioskEngine engine;
  private final Optional<SyncAgent.Settings> settings;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final RandomGenerator random;
  private final StatusReport report;
  private final List<MqttLink.Subscription> follows;
  private SyncAgent agent;
  private boolean paused;
  private boolean closed;

  public SyncRunner(
      KioskEngine engine,
      Optional<SyncAgent.Settings> settings,
      ScheduledExecutorService scheduler,
      Clock clock,
      RandomGenerator random) {
    this(engine, settings, scheduler, clock, random, StatusReport.minimal());
  }

  /** With what the kiosk says of itself in its status to the hub. */
  public SyncRunner(
      KioskEngine engine,
      Optional<SyncAgent.Settings> settings,
      ScheduledExecutorService scheduler,
      Clock clock,
      RandomGenerator random,
      StatusReport report) {
    this(engine, settings, scheduler, clock, random, report, List.of());
  }

  /**
   * With what the kiosk says of itself, and what else it follows on the hub (a tablet: its workshop
   * room's relay), subscribed by every agent it starts.
   */
  public SyncRunner(
      KioskEngine engine,
      Optional<SyncAgent.Settings> settings,
      ScheduledExecutorService scheduler,
      Clock clock,
      RandomGenerator random,
      StatusReport report,
      List<MqttLink.Subscription> follows) {
    this.follows = List.copyOf(follows);
    this.report = java.util.Objects.requireNonNull(report, "report must not be null");
    this.engine = engine;
    this.settings = settings;
    this.scheduler = scheduler;
    this.clock = clock;
    this.random = random;
    engine.addCommitListener(record -> wake());
  }

  /** Starts sending, if a hub is given. */
  public synchronized void start() {
    if (closed || agent != null || settings.isEmpty()) {
      return;
    }
    paused = false;
    agent =
        new SyncAgent(
            engine.store(),
            engine.deviceId(),
            settings.get(),
            scheduler,
            clock,
            random,
            report,
            follows);
    agent.start();
  }

  /** The app goes to the background: stop the agent cleanly (nothing is lost). */
  public synchronized void pause() {
    if (agent != null) {
      log.info("App paused: sending to the hub stops until it resumes");
      agent.close();
      agent = null;
    }
    paused = settings.isPresent();
  }

  /** The app is back: a fresh agent resends whatever is pending. */
  public synchronized void resume() {
    if (paused) {
      log.info("App resumed: sending to the hub again");
      start();
    }
  }

  /** What the kiosk reports changed (its printer): say it to the hub now if connected. */
  public synchronized void reportStatus() {
    if (agent != null) {
      agent.reportStatus();
    }
  }

  private synchronized void wake() {
    if (agent != null) {
      agent.wake();
    }
  }

  /** The state of the sending, read from the device's database and the agent. */
  public View view() throws StoreException {
    SyncAgent current;
    boolean isPaused;
    synchronized (this) {
      current = agent;
      isPaused = paused;
    }
    long pending = engine.store().pendingCount();
    Optional<SyncAgent.Status> status =
        current == null ? Optional.empty() : Optional.of(current.status());
    return new View(settings.isPresent(), isPaused, pending, status);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (agent != null) {
      agent.close();
      agent = null;
    }
  }
}

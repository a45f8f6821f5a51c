// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import terrain.core.event.EventDefinition;
import terrain.core.record.DeviceId;
import terrain.hub.trust.HubTrust;
import terrain.store.Retention;
import terrain.transport.Forwarder;

/**
 * Everything a field hub needs to start, read once from the command line and checked before
 * anything opens. Every problem is reported at once, each with the option to change.
 *
 * @param dataDir the hub's folder: {@code db/} (Derby) and {@code broker/} (HiveMQ work folder)
 * @param bindAddress the address the MQTT broker and the HTTP status page listen on
 * @param mqttPort the port of the broker the kiosks connect to, 0 for a free one
 * @param httpPort the port of the status page and API, 0 for a free one
 * @param uplink the sync server's broker, {@code tcp://HOST:PORT} or {@code ssl://HOST:PORT}
 * @param hubId the hub's id, or null to use the one kept in the hub's store (generated once)
 * @param siteKey the key from which the kiosks' MQTT passwords are derived (development hubs only,
 *     null for an enrolled hub)
 * @param uplinkSiteKey the key of the sync server's broker (usually the same site key; null for an
 *     enrolled hub)
 * @param uplinkSettings how the uplink batches and how long it waits for the server's ack
 * @param trust the enrolled hub's identity, keys and device list; null for a development hub
 *     ({@code --dev}), whose kiosks log in with passwords derived from the site key
 * @param events the event definitions given with {@code --event FILE}: the live results show their
 *     titles, questions and options in file order (without one, the ids recorded)
 * @param keepDays days the records the server acknowledged are kept ({@code --keep-days}); 0: never
 *     pruned
 * @param metricsPublic {@code /metrics} answers every client that reaches the HTTP port ({@code
 *     --metrics-public}); by default loopback clients only
 */
record HubConfig(
    Path dataDir,
    String bindAddress,
    int mqttPort,
    int httpPort,
    String uplink,
    String hubId,
    String siteKey,
    String uplinkSiteKey,
    Forwarder.Settings uplinkSettings,
    HubTrust trust,
    List<EventDefinition> events,
    int keepDays,
    boolean metricsPublic) {

  /** Bind address of both listeners when none is given: every interface (the kiosks are on LAN). */
  public static final String ANY_ADDRESS = "0.0.0.0";

  private static final Set<String> UPLINK_SCHEMES = Set.of("tcp", "ssl");

  /** The configuration does not allow the hub to start; the message lists what to change. */
  public static final class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    InvalidConfigException(List<String> problems) {
      super("Cannot start the hub:\n  - " + String.join("\n  - ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  public HubConfig {
    List<String> problems = new ArrayList<>();
    if (dataDir == null) {
      problems.add("--data is missing: pass the hub's data folder, e.g. --data /var/lib/terrain");
    } else {
      dataDir = dataDir.toAbsolutePath().normalize();
      if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
        problems.add(
            "--data "
                + dataDir
                + " is a file, not a folder: pass a folder (it is created if missing)");
      }
    }
    if (bindAddress == null || bindAddress.isBlank()) {
      problems.add("--bind is empty: pass an address of this machine, or 0.0.0.0 for all");
    }
    checkPort("--mqtt", mqttPort, problems);
    checkPort("--http", httpPort, problems);
    if (mqttPort != 0 && mqttPort == httpPort) {
      problems.add(
          "--mqtt and --http are both "
              + mqttPort
              + ": give them different ports (0 picks a free one)");
    }
    checkUplink(uplink, problems);
    if (trust != null && hubId != null && !hubId.equals(trust.id().value())) {
      problems.add(
          "--hub-id "
              + hubId
              + " differs from the id this hub was enrolled as ("
              + trust.id()
              + "): leave --hub-id out");
    } else if (hubId != null && !DeviceId.isValid(hubId)) {
      problems.add(
          "--hub-id ["
              + hubId
              + "] must be 1 to 64 characters among letters, digits, '.', '_' and '-',"
              + " e.g. --hub-id hub-marche-nord");
    }
    if (trust == null && (siteKey == null || siteKey.isEmpty())) {
      problems.add("--site-key is empty: pass the site key from provisioning, or leave it out");
    }
    boolean uplinkKeyEmpty = uplinkSiteKey == null || uplinkSiteKey.isEmpty();
    if (trust == null && uplinkKeyEmpty && !Objects.equals(uplinkSiteKey, siteKey)) {
      problems.add(
          "--uplink-site-key is empty: pass the sync server's site key, or leave it out to use"
              + " the site key");
    }
    if (uplinkSettings == null) {
      problems.add("the uplink settings are missing (a programming error)");
    } else if (uplinkSettings.batchSize() < 1
        || uplinkSettings.window() < 1
        || uplinkSettings.ackTimeout().compareTo(Duration.ofMillis(100)) < 0) {
      problems.add(
          "uplink settings "
              + uplinkSettings
              + " need a batch size and window of 1 or more and an ack timeout of 100 ms or more");
    }
    events = events == null ? List.of() : List.copyOf(events);
    Set<String> eventIds = new java.util.HashSet<>();
    for (EventDefinition event : events) {
      if (!eventIds.add(event.id())) {
        problems.add(
            "--event: event id [" + event.id() + "] is given twice: pass each event file once");
      }
    }
    try {
      Retention.checkKeepDays(keepDays);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
  }

  /** An enrolled hub: its id, logins and uplink credentials come from {@code trust}. */
  public static HubConfig enrolled(
      Path dataDir, int mqttPort, int httpPort, String uplink, HubTrust trust) {
    return new HubConfig(
        dataDir,
        ANY_ADDRESS,
        mqttPort,
        httpPort,
        uplink,
        trust.id().value(),
        null,
        null,
        Forwarder.Settings.uplink(),
        trust,
        List.of(),
        Retention.DEFAULT_KEEP_DAYS,
        false);
  }

  /** Whether this is a development hub (site key, no enrolment). */
  public boolean development() {
    return trust == null;
  }

  /**
   * A development hub ({@code --dev}, kiosks log in with passwords derived from the site key) on
   * every interface, with the uplink's default tuning, no event file, records kept {@link
   * Retention#DEFAULT_KEEP_DAYS} days and {@code /metrics} for loopback clients only; the withers
   * change one of these.
   */
  public static HubConfig of(
      Path dataDir,
      int mqttPort,
      int httpPort,
      String uplink,
      String hubId,
      String siteKey,
      String uplinkSiteKey) {
    return new HubConfig(
        dataDir,
        ANY_ADDRESS,
        mqttPort,
        httpPort,
        uplink,
        hubId,
        siteKey,
        uplinkSiteKey == null ? siteKey : uplinkSiteKey,
        Forwarder.Settings.uplink(),
        null,
        List.of(),
        Retention.DEFAULT_KEEP_DAYS,
        false);
  }

  public HubConfig withEvents(List<EventDefinition> definitions) {
    return copy(c -> c.events = definitions);
  }

  public HubConfig withBindAddress(String address) {
    return copy(c -> c.bindAddress = address);
  }

  public HubConfig withUplinkSettings(Forwarder.Settings settings) {
    return copy(c -> c.uplinkSettings = settings);
  }

  public HubConfig withKeepDays(int days) {
    return copy(c -> c.keepDays = days);
  }

  /** The same hub with {@code /metrics} open to every client ({@code --metrics-public}). */
  public HubConfig withMetricsPublic(boolean open) {
    return copy(c -> c.metricsPublic = open);
  }

  /** This configuration with the changes {@code edit} makes, checked again. */
  private HubConfig copy(java.util.function.Consumer<Changes> edit) {
    Changes c = new Changes(this);
    edit.accept(c);
    return new HubConfig(
        c.dataDir,
        c.bindAddress,
        c.mqttPort,
        c.httpPort,
        c.uplink,
        c.hubId,
        c.siteKey,
        c.uplinkSiteKey,
        c.uplinkSettings,
        c.trust,
        c.events,
        c.keepDays,
        c.metricsPublic);
  }

  /** The fields of a configuration being changed by a wither. */
  private static final class Changes {
    Path dataDir;
    String bindAddress;
    int mqttPort;
    int httpPort;
    String uplink;
    String hubId;
    String siteKey;
    String uplinkSiteKey;
    Forwarder.Settings uplinkSettings;
    HubTrust trust;
    List<EventDefinition> events;
    int keepDays;
    boolean metricsPublic;

    Changes(HubConfig from) {
      dataDir = from.dataDir;
      bindAddress = from.bindAddress;
      mqttPort = from.mqttPort;
      httpPort = from.httpPort;
      uplink = from.uplink;
      hubId = from.hubId;
      siteKey = from.siteKey;
      uplinkSiteKey = from.uplinkSiteKey;
      uplinkSettings = from.uplinkSettings;
      trust = from.trust;
      events = from.events;
      keepDays = from.keepDays;
      metricsPublic = from.metricsPublic;
    }
  }

  /** The hub's Derby database folder. */
  public Path databaseDir() {
    return dataDir.resolve("db");
  }

  /** HiveMQ's work folder (configuration written at each start; persistence is in memory). */
  public Path brokerDir() {
    return dataDir.resolve("broker");
  }

  @Override
  public String toString() {
    // Never print the keys.
    return "HubConfig[dataDir="
        + dataDir
        + ", bindAddress="
        + bindAddress
        + ", mqttPort="
        + mqttPort
        + ", httpPort="
        + httpPort
        + ", uplink="
        + uplink
        + ", hubId="
        + hubId
        + ", uplinkSettings="
        + uplinkSettings
        + ", "
        + (trust == null ? "development" : "enrolled")
        + ", keepDays="
        + keepDays
        + (metricsPublic ? ", metricsPublic" : "")
        + "]";
  }

  private static void checkPort(String option, int port, List<String> problems) {
    if (port < 0 || port > 65535) {
      problems.add(option + " " + port + " is not a port: use 1 to 65535, or 0 to pick a free one");
    }
  }

  private static void checkUplink(String uplink, List<String> problems) {
    String fix =
        ": pass the sync server's broker as --uplink tcp://HOST:PORT, e.g. --uplink"
            + " tcp://sync.example.org:1883 (ssl://HOST:PORT for TLS)";
    if (uplink == null || uplink.isBlank()) {
      problems.add("--uplink is missing" + fix);
      return;
    }
    URI uri;
    try {
      uri = new URI(uplink);
    } catch (URISyntaxException e) {
      problems.add("--uplink [" + uplink + "] is not a URL (" + e.getReason() + ")" + fix);
      return;
    }
    if (uri.getScheme() == null || !UPLINK_SCHEMES.contains(uri.getScheme())) {
      problems.add("--uplink [" + uplink + "] must start with tcp:// or ssl://" + fix);
    } else if (uri.getHost() == null) {
      problems.add("--uplink [" + uplink + "] has no host name" + fix);
    } else if (uri.getPort() < 1) {
      problems.add("--uplink [" + uplink + "] has no port" + fix);
    } else if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
      problems.add("--uplink [" + uplink + "] must not have a path" + fix);
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import terrain.http.TrustedProxies;
import terrain.server.followup.MailSettings;
import terrain.server.ingest.WarmUp;
import terrain.store.Database;

/**
 * Everything the sync server is started with, read once from the command line and validated before
 * anything starts. Each problem names the option, the value and the fix.
 *
 * @param dataDir the server's folder: Derby database ({@code db}) and broker work folder ({@code
 *     broker})
 * @param httpPort 0 picks a free port
 * @param mqttPort port of the embedded broker, 0 picks a free one; unused with an external broker
 * @param externalBroker {@code tcp://HOST:PORT} of a broker to use instead of the embedded one, or
 *     null
 * @param databaseUrl JDBC URL; by default Derby in {@code dataDir/db}
 * @param siteKey the key from which MQTT passwords derive
 * @param developmentKey true when {@code siteKey} is the public development key
 * @param bindAddress the address HTTP and the embedded broker listen on
 * @param eventFiles event definitions whose titles and labels the results show
 * @param allowDevelopmentKeys register the keys devices announce on first use (until provisioning
 *     enrols devices)
 * @param adminToken bearer token of the admin API (device revocation); null disables it
 * @param claimsPerMinute claim attempts allowed per client address and minute
 * @param partners the partners whose cashiers debit wallets on {@code /partner}
 * @param dev development mode ({@code --dev}): the development site key and device keys trusted on
 *     first use are accepted; without it they are refused, and MQTT logins are the server's own
 *     services and the enrolled devices
 * @param publicUrl the server's address written in enrolment texts ({@code --public-url}), or null
 *     for {@code http://127.0.0.1:HTTPPORT}
 * @param mqttPublic the uplink written in hubs' bundles ({@code --mqtt-public}), or null for {@code
 *     tcp://127.0.0.1:MQTTPORT} (the external broker's URL with {@code --broker})
 * @param trustProxy the reverse proxies whose forwarding headers are believed ({@code
 *     --trust-proxy}); null is none
 * @param ingestGroup the MQTT shared-subscription group of the ingest ({@code --ingest-group}): the
 *     server instances of one deployment share it, another deployment on the same broker takes
 *     another
 * @param metricsPublic {@code /metrics} answers every client that reaches the HTTP port ({@code
 *     --metrics-public}), for a Prometheus on another host; by default loopback clients only
 * @param mail the SMTP server of the follow-up mails ({@code --smtp-*}); {@link MailSettings#NONE}
 *     keeps them queued
 * @param warmUpRecords made-up records the server ingests into a scratch database at start, before
 *     it admits hubs, so that the first backlog meets compiled code ({@code --warm-up}, decision
 *     0064); 0 starts cold
 */
public record ServerConfig(
    Path dataDir,
    int httpPort,
    int mqttPort,
    String externalBroker,
    String databaseUrl,
    String siteKey,
    boolean developmentKey,
    String bindAddress,
    List<Path> eventFiles,
    boolean allowDevelopmentKeys,
    String adminToken,
    int claimsPerMinute,
    List<terrain.server.partner.Partner> partners,
    boolean dev,
    String publicUrl,
    String mqttPublic,
    TrustedProxies trustProxy,
    String ingestGroup,
    boolean metricsPublic,
    MailSettings mail,
    int warmUpRecords) {

  /** Claim attempts per client address and minute, by default. */
  public static final int DEFAULT_CLAIMS_PER_MINUTE = 20;

  private static final Set<String> BROKER_SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

  public ServerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    eventFiles = List.copyOf(eventFiles);
    partners = List.copyOf(partners);
    trustProxy = trustProxy == null ? TrustedProxies.NONE : trustProxy;
    mail = mail == null ? MailSettings.NONE : mail;
    List<String> problems = new ArrayList<>();
    if (partners.stream().map(terrain.server.partner.Partner::id).distinct().count()
        != partners.size()) {
      problems.add("--partner is given twice for one id: give each partner its own id.");
    }
    port(problems, "--http", httpPort);
    port(problems, "--mqtt", mqttPort);
    if (externalBroker != null) {
      brokerProblem(externalBroker).ifPresent(problems::add);
    }
    if (databaseUrl == null) {
      databaseUrl = Database.derbyUrl(dataDir.resolve("db"));
    } else if (!databaseUrl.startsWith("jdbc:derby:")
        && !databaseUrl.startsWith("jdbc:postgresql:")) {
      problems.add(
          "--db ["
              + databaseUrl
              + "] is not a supported JDBC URL: use"
              + " jdbc:postgresql://HOST:5432/DATABASE?user=USER, or leave --db out for Derby in"
              + " the data folder.");
    }
    if (dev && (siteKey == null || siteKey.isBlank())) {
      problems.add(
          "--site-key is empty: pass the site key from provisioning, or set TERRAIN_SITE_KEY.");
    }
    if (siteKey != null && siteKey.isBlank()) {
      siteKey = null;
    }
    if (!dev && developmentKey) {
      problems.add(
          "--site-key (or TERRAIN_SITE_KEY) is the public development key, with which anyone can"
              + " log in to the broker: it is refused without --dev. Leave --site-key out (enrolled"
              + " devices log in with their own secrets), or pass --dev for a demo or a quick"
              + " try.");
    }
    if (!dev && allowDevelopmentKeys) {
      problems.add(
          "--allow-development-keys trusts the first key a device announces: it is refused"
              + " without --dev. Enrol devices with `terrain provision device enrol`, or pass --dev"
              + " for a demo or a quick try.");
    }
    if (publicUrl != null) {
      publicUrl = publicUrl.strip();
      while (publicUrl.endsWith("/")) {
        publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
      }
      publicUrlProblem(publicUrl).ifPresent(problems::add);
    }
    if (mqttPublic != null) {
      mqttPublic = mqttPublic.strip();
      terrain.server.devices.DeviceApi.mqttAddressProblem(mqttPublic)
          .ifPresent(p -> problems.add("--mqtt-public " + p + "."));
    }
    if (ingestGroup == null
        || !terrain.core.wire.Topics.GROUP_NAME.matcher(ingestGroup).matches()) {
      problems.add(
          "--ingest-group ["
              + ingestGroup
              + "] must be 1 to 48 of a-z, 0-9 and '-', starting with a letter or a digit (e.g."
              + " terrain-ingest-lyon): the same on every server of one deployment, another for"
              + " another deployment on the same broker.");
    }
    if (bindAddress == null || bindAddress.isBlank()) {
      problems.add("--bind is empty: pass an address such as 0.0.0.0 or 127.0.0.1.");
    }
    if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
      problems.add(
          "--data ["
              + dataDir
              + "] is a file, not a folder: pass a folder (it is created if missing).");
    }
    for (Path file : eventFiles) {
      if (!Files.isRegularFile(file)) {
        problems.add(
            "--event ["
                + file
                + "] does not exist or is not a file: pass the path of an event YAML file.");
      }
    }
    if (adminToken != null && adminToken.strip().length() < 16) {
      problems.add(
          "--admin-token is shorter than 16 characters: pass a long random token (e.g. from"
              + " `openssl rand -hex 24`), or leave it out to disable the admin API.");
    }
    if (warmUpRecords < 0 || warmUpRecords > WarmUp.MAX_RECORDS) {
      problems.add(
          "--warm-up ["
              + warmUpRecords
              + "] must be 0 to "
              + WarmUp.MAX_RECORDS
              + " (made-up records ingested at start; 0 starts cold).");
    }
    if (claimsPerMinute < 1 || claimsPerMinute > 1_000_000) {
      problems.add(
          "--claims-per-minute ["
              + claimsPerMinute
              + "] must be 1 to 1000000 (claim attempts per client address and minute).");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
  }

  /** The same configuration with {@code mail} as the SMTP server of the follow-up mails. */
  public ServerConfig withMail(MailSettings mail) {
    return with(mail, warmUpRecords);
  }

  /**
   * The same configuration warming its ingest with {@code records} made-up records at start ({@code
   * --warm-up}, decision 0064); 0 starts cold.
   */
  public ServerConfig withWarmUp(int records) {
    return with(mail, records);
  }

  private ServerConfig with(MailSettings mail, int warmUpRecords) {
    return new ServerConfig(
        dataDir,
        httpPort,
        mqttPort,
        externalBroker,
        databaseUrl,
        siteKey,
        developmentKey,
        bindAddress,
        eventFiles,
        allowDevelopmentKeys,
        adminToken,
        claimsPerMinute,
        partners,
        dev,
        publicUrl,
        mqttPublic,
        trustProxy,
        ingestGroup,
        metricsPublic,
        mail,
        warmUpRecords);
  }

  /** As the full constructor with no trusted proxy and the default ingest group. */
  public ServerConfig(
      Path dataDir,
      int httpPort,
      int mqttPort,
      String externalBroker,
      String databaseUrl,
      String siteKey,
      boolean developmentKey,
      String bindAddress,
      List<Path> eventFiles,
      boolean allowDevelopmentKeys,
      String adminToken,
      int claimsPerMinute,
      List<terrain.server.partner.Partner> partners,
      boolean dev,
      String publicUrl,
      String mqttPublic) {
    this(
        dataDir,
        httpPort,
        mqttPort,
        externalBroker,
        databaseUrl,
        siteKey,
        developmentKey,
        bindAddress,
        eventFiles,
        allowDevelopmentKeys,
        adminToken,
        claimsPerMinute,
        partners,
        dev,
        publicUrl,
        mqttPublic,
        TrustedProxies.NONE,
        terrain.core.wire.Topics.DEFAULT_INGEST_GROUP,
        false,
        MailSettings.NONE,
        0);
  }

  /**
   * As the full constructor in development mode ({@code --dev}): TOFU keys, no admin, 20 claims a
   * minute, no partners, addresses by default.
   */
  public ServerConfig(
      Path dataDir,
      int httpPort,
      int mqttPort,
      String externalBroker,
      String databaseUrl,
      String siteKey,
      boolean developmentKey,
      String bindAddress,
      List<Path> eventFiles) {
    this(
        dataDir,
        httpPort,
        mqttPort,
        externalBroker,
        databaseUrl,
        siteKey,
        developmentKey,
        bindAddress,
        eventFiles,
        true,
        null,
        DEFAULT_CLAIMS_PER_MINUTE,
        List.of(),
        true,
        null,
        null,
        TrustedProxies.NONE,
        terrain.core.wire.Topics.DEFAULT_INGEST_GROUP,
        false,
        MailSettings.NONE,
        0);
  }

  /** True when the server starts its own broker. */
  public boolean embeddedBroker() {
    return externalBroker == null;
  }

  /** Where the embedded broker keeps its work files. */
  public Path brokerDir() {
    return dataDir.resolve("broker");
  }

  private static void port(List<String> problems, String option, int port) {
    if (port < 0 || port > 65535) {
      problems.add(
          option
              + " ["
              + port
              + "] is not a port: pass a number from 1 to 65535, or 0 to pick a free one.");
    }
  }

  private static Optional<String> publicUrlProblem(String url) {
    String fix =
        ": pass the address devices reach the server at, e.g. https://terrain.example.fr or"
            + " http://192.168.1.5:8470.";
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return Optional.of(
            "--public-url [" + url + "] must be http://HOST[:PORT] or https://..." + fix);
      }
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of("--public-url [" + url + "] is not a URL" + fix);
    }
  }

  private static Optional<String> brokerProblem(String url) {
    String fix =
        ": pass the broker as tcp://HOST:PORT (e.g. tcp://127.0.0.1:1883), or leave --broker"
            + " out to start the embedded one.";
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || !BROKER_SCHEMES.contains(uri.getScheme())) {
        return Optional.of(
            "--broker [" + url + "] must start with tcp://, ssl://, ws:// or wss://" + fix);
      }
      if (uri.getHost() == null) {
        return Optional.of("--broker [" + url + "] has no host" + fix);
      }
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of("--broker [" + url + "] is not a URL (" + e.getMessage() + ")" + fix);
    }
  }
}

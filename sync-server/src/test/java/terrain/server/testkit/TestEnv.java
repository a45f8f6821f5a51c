// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.testkit;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import terrain.server.ServerConfig;
import terrain.testkit.Services;
import terrain.transport.MqttCredentials;

/** The external services tests may use, from the environment, and test server configurations. */
public final class TestEnv {
  private TestEnv() {}

  /**
   * TERRAIN_TEST_MQTT_URL, e.g. tcp://127.0.0.1:1883; a loud skip when unset, a failure with
   * CI=true.
   */
  public static String mosquittoUrl() {
    return Services.mqttUrl();
  }

  /** 8 random hex digits, for ids that must not collide between runs. */
  public static String unique() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  /** The rewards of {@link #ticketEvents}: every amount from 1 to 7 under one action. */
  public static final String TICKET_REWARDS = "rewards: {response: 1, idea: 2, attendance: 4}\n";

  /**
   * Writes the events the claim tests' tickets name into {@code dir}: marche-2026-11-28 and
   * fete-quartier, rewarding {@link #TICKET_REWARDS}, no cap, no golden ticket.
   */
  public static List<Path> ticketEvents(Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir);
      List<Path> files = new java.util.ArrayList<>();
      for (String id : List.of("marche-2026-11-28", "fete-quartier")) {
        Path file = dir.resolve(id + ".yaml");
        java.nio.file.Files.writeString(file, ticketEvent(id, TICKET_REWARDS));
        files.add(file);
      }
      return files;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A small valid event file with one poll of one question, and {@code extra} top-level YAML. */
  public static String ticketEvent(String id, String extra) {
    return "id: "
        + id
        + "\ntitle: {fr: \""
        + id
        + "\"}\nplace: \"Bordeaux\"\ndate: 2026-11-28\n"
        + extra
        + "polls:\n  - id: avis\n    title: {fr: \"Avis\"}\n    questions:\n"
        + "      - id: q-mode\n        kind: yesno\n        text: {fr: \"Venu à pied ?\"}\n";
  }

  /** As {@link #config} with claim settings: admin token and claims per client and minute. */
  public static ServerConfig claimConfig(
      Path dir, String db, String adminToken, int claimsPerMinute) {
    return new ServerConfig(
        derbyUnlessNamed(dir, db),
        0,
        0,
        null,
        db,
        MqttCredentials.DEVELOPMENT_KEY,
        true,
        "127.0.0.1",
        ticketEvents(dir.resolve("events")),
        true,
        adminToken,
        claimsPerMinute,
        List.of(),
        true,
        null,
        null,
        null,
        terrain.core.wire.Topics.DEFAULT_INGEST_GROUP,
        false,
        terrain.server.followup.MailSettings.NONE,
        0);
  }

  /** As {@link #claimConfig} with partners. */
  public static ServerConfig partnerConfig(
      Path dir, String adminToken, List<terrain.server.partner.Partner> partners) {
    return new ServerConfig(
        MigratedDerby.serverData(dir),
        0,
        0,
        null,
        null,
        MqttCredentials.DEVELOPMENT_KEY,
        true,
        "127.0.0.1",
        ticketEvents(dir.resolve("events")),
        true,
        adminToken,
        1000,
        partners,
        true,
        null,
        null,
        null,
        terrain.core.wire.Topics.DEFAULT_INGEST_GROUP,
        false,
        terrain.server.followup.MailSettings.NONE,
        0);
  }

  /** As {@link #config} with the admin token, which moderation of ideas and texts needs. */
  public static ServerConfig moderatedConfig(
      Path dir, String db, List<Path> events, String adminToken) {
    return new ServerConfig(
        derbyUnlessNamed(dir, db),
        0,
        0,
        null,
        db,
        MqttCredentials.DEVELOPMENT_KEY,
        true,
        "127.0.0.1",
        events,
        true,
        adminToken,
        ServerConfig.DEFAULT_CLAIMS_PER_MINUTE,
        List.of(),
        true,
        null,
        null,
        null,
        terrain.core.wire.Topics.DEFAULT_INGEST_GROUP,
        false,
        terrain.server.followup.MailSettings.NONE,
        0);
  }

  /** Publishes a moderated item through the admin API, failing unless it answers 200. */
  public static void publish(Http http, String adminToken, String kind, String id)
      throws Exception {
    Http.Reply reply =
        http.send(
            "POST",
            "/api/moderation/" + kind + "/" + id,
            "{\"decision\":\"publish\"}",
            "Authorization",
            "Bearer " + adminToken);
    if (reply.status() != 200) {
      throw new AssertionError("publishing " + kind + " " + id + ": " + reply);
    }
  }

  /**
   * A server on loopback with ephemeral ports and the development key, on a copy of the migrated
   * Derby database ({@link MigratedDerby}) when {@code db} is null. On an external broker, shared
   * with other runs, the server's ingest joins a group of its own ({@link #ingestGroup}): in the
   * default group it would take other runs' batches and they its.
   */
  public static ServerConfig config(Path dir, String externalBroker, String db, List<Path> events) {
    return new ServerConfig(
        derbyUnlessNamed(dir, db),
        0,
        0,
        externalBroker,
        db,
        MqttCredentials.DEVELOPMENT_KEY,
        true,
        "127.0.0.1",
        events,
        true,
        null,
        ServerConfig.DEFAULT_CLAIMS_PER_MINUTE,
        List.of(),
        true,
        null,
        null,
        null,
        externalBroker == null ? terrain.core.wire.Topics.DEFAULT_INGEST_GROUP : ingestGroup(),
        false,
        terrain.server.followup.MailSettings.NONE,
        0);
  }

  /**
   * {@code dir}, with a copy of the migrated Derby database in it ({@link MigratedDerby}) when
   * {@code db} names no database: the server keeps its database there then.
   */
  private static Path derbyUnlessNamed(Path dir, String db) {
    return db == null ? MigratedDerby.serverData(dir) : dir;
  }

  /** An ingest group of this run's own, for a server on a broker other runs share. */
  public static String ingestGroup() {
    return "test-" + unique();
  }

  /** {@code config} with admin calls enabled under {@code adminToken}. */
  public static ServerConfig withAdminToken(ServerConfig c, String adminToken) {
    return new ServerConfig(
        c.dataDir(),
        c.httpPort(),
        c.mqttPort(),
        c.externalBroker(),
        c.databaseUrl(),
        c.siteKey(),
        c.developmentKey(),
        c.bindAddress(),
        c.eventFiles(),
        c.allowDevelopmentKeys(),
        adminToken,
        c.claimsPerMinute(),
        c.partners(),
        c.dev(),
        c.publicUrl(),
        c.mqttPublic(),
        c.trustProxy(),
        c.ingestGroup(),
        c.metricsPublic(),
        terrain.server.followup.MailSettings.NONE,
        0);
  }
}

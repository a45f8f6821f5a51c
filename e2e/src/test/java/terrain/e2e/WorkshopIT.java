// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.event.WorkshopPhase;
import terrain.core.event.WorkshopScript;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.core.workshop.WorkshopState;
import terrain.dist.proc.Child;
import terrain.dist.proc.Commands;
import terrain.dist.proc.Json;
import terrain.dist.proc.Ports;
import terrain.dist.proc.TcpProxy;
import terrain.store.Database;
import terrain.store.RecordStore;

/**
 * A workshop with real processes: a server, a hub and three simulated tablets ({@code simulate
 * --workshop}: the facilitator's and two tables'). Table 3 reaches the hub through a loopback relay
 * that is cut as the vote starts, so its votes stay in its own database; the simulation's process
 * is then killed (SIGKILL) while it waits for the acks, and started again on the same data folder
 * with the relay back. At the end the server's workshop (ideas, groups and their votes, voters,
 * attendance) is the fold of what the three tablets recorded in their own Derby databases, and the
 * server holds each tablet's records once.
 */
class WorkshopIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Pattern FINAL =
      Pattern.compile(
          "workshop: (\\d+) ideas, (\\d+) groups, (\\d+) votes, acked (\\d+) of (\\d+)");

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @TempDir Path dir;
  private final Json json = new Json();

  @Test
  void workshop_whenATabletIsCutOffDuringTheVoteAndKilled_serverTotalsAreTheTabletsFold()
      throws Exception {
    Path eventFile = Apps.root().resolve("examples/events/atelier-parc.yaml");
    EventDefinition event = EventLoader.load(eventFile);
    WorkshopScript script = event.workshop().orElseThrow();
    int serverHttp = Ports.free();
    int serverMqtt = Ports.free();
    int hubMqtt = Ports.free();
    int hubHttp = Ports.free();
    String hubId = "hub-ws-" + UUID.randomUUID().toString().substring(0, 8);
    Path tablets = dir.resolve("tablets");

    try (Apps apps = new Apps(dir.resolve("logs"));
        TcpProxy wifi = new TcpProxy(hubMqtt)) {
      Child server =
          apps.start(
              "server",
              Apps.serverStartedCold(dir, serverHttp, serverMqtt, "--event", eventFile.toString()));
      Child hub =
          apps.start(
              "hub",
              Commands.hub(
                  dir.resolve("hub"),
                  hubMqtt,
                  hubHttp,
                  "tcp://127.0.0.1:" + serverMqtt,
                  hubId,
                  "--event",
                  eventFile.toString()));
      Apps.await(server, Apps.HTTP_LISTENING, START);
      Apps.await(hub, Apps.HTTP_LISTENING, START);

      String[] args =
          with(
              Commands.simulate(hubMqtt, eventFile, 0, 0, tablets),
              "--workshop",
              "--tablets",
              "3",
              "--participants",
              "12",
              "--ideas",
              "12",
              "--dots",
              "3",
              "--seed",
              "7",
              "--hub-of",
              "3=tcp://127.0.0.1:" + wifi.port(),
              "--pace",
              "60");
      Child room = apps.start("workshop", args);
      // Table 3 drops off the Wi-Fi as the vote starts: its votes are committed on the tablet only.
      Apps.await(room, Pattern.compile("^phase vote "), START);
      wifi.cut();
      // The run is over and waits for acks that table 3 cannot get: kill it like a power cut.
      Apps.await(room, Pattern.compile("^(acked \\d+ of|workshop:)"), START);
      room.kill9();
      JsonNode partial = json.get(workshopUrl(serverHttp, event)).orElseThrow();

      wifi.restore();
      Child again = apps.start("workshop-restarted", args);
      assertEquals(0, again.waitFor(Duration.ofSeconds(90)), "restarted simulation's exit code");
      Matcher last = FINAL.matcher(again.lastLine().trim());
      assertTrue(last.matches(), again.lastLine());
      assertEquals(last.group(5), last.group(4), "every record acknowledged by the hub");

      Folded tabletsFold = foldTablets(tablets, event);
      assertEquals(Long.parseLong(last.group(5)), tabletsFold.records(), "records of the tablets");
      assertEquals(12, tabletsFold.state().ideas().size(), "ideas recorded");
      String vote = votePhase(script);
      assertEquals(36, tabletsFold.state().totalDots(vote), "12 participants x 3 dots");
      assertTrue(
          partial.path("votes").asInt() < 36,
          "the server lacked table 3's votes while it was cut off: " + partial);

      String url = workshopUrl(serverHttp, event);
      JsonNode expected = expected(tabletsFold.state(), vote);
      JsonNode onServer =
          json.await(
              url,
              w -> w.path("votes").asInt() == 36 && w.path("ideas").asInt() == 12,
              Duration.ofSeconds(60));
      // A late duplicate would show within these 2 s.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertEquals(expected, totals(json.get(url).orElseThrow()), "server totals"));
      assertEquals(expected, totals(onServer));

      // Each tablet's records are on the server once, none kept aside as a conflict.
      JsonNode status = json.get("http://127.0.0.1:" + serverHttp + "/api/status").orElseThrow();
      assertEquals(0, status.path("conflicts").asLong(), status.toString());
      Map<String, Long> serverUpTo = new TreeMap<>();
      for (JsonNode device : status.path("devices")) {
        if (tabletsFold.upTo().containsKey(device.path("id").asText())) {
          serverUpTo.put(device.path("id").asText(), device.path("upTo").asLong());
        }
      }
      assertEquals(tabletsFold.upTo(), serverUpTo, "each tablet's records on the server");
    }
  }

  private static String workshopUrl(int serverHttp, EventDefinition event) {
    return "http://127.0.0.1:" + serverHttp + "/api/events/" + event.id() + "/workshop";
  }

  private static String votePhase(WorkshopScript script) {
    return script.phases().stream()
        .filter(p -> p.kind() == WorkshopPhase.Kind.VOTE)
        .findFirst()
        .orElseThrow()
        .id();
  }

  private record Folded(WorkshopState state, long records, Map<String, Long> upTo) {}

  /** What the three tablets recorded, read from their own Derby databases, folded. */
  private static Folded foldTablets(Path tablets, EventDefinition event) throws Exception {
    List<WorkshopState.Entry> entries = new ArrayList<>();
    Map<String, Long> upTo = new TreeMap<>();
    List<Path> databases = Apps.derbyDatabases(tablets);
    assertEquals(3, databases.size(), "one database per tablet: " + databases);
    for (Path folder : databases) {
      Database database = Database.open(Database.derbyUrl(folder));
      try (RecordStore store = new RecordStore(database)) {
        assertEquals(0, store.pendingCount(), folder + " outbox is empty");
        for (Record record : store.records(event.id(), RecordKind.WORKSHOP)) {
          entries.add(
              new WorkshopState.Entry(
                  new ItemRef(record.device(), record.seq()),
                  record.deviceTime(),
                  WorkshopAction.decode(record.body())));
        }
        for (RecordStore.DeviceProgress device : store.devices()) {
          upTo.put(device.device().value(), device.upto());
        }
      } finally {
        database.close();
      }
    }
    return new Folded(
        WorkshopState.fold(event.workshop().orElseThrow(), entries), entries.size(), upTo);
  }

  /** The totals the server must give for the tablets' fold. */
  private static JsonNode expected(WorkshopState state, String vote) {
    Map<ItemRef, Integer> dots = new java.util.HashMap<>();
    state.ranking(vote).forEach(r -> dots.put(r.id(), r.dots()));
    var root = MAPPER.createObjectNode();
    root.put("ideas", state.ideas().size());
    var groups = root.putArray("groups");
    for (WorkshopState.Group group : state.groups()) {
      groups
          .addObject()
          .put("title", group.title())
          .put("ideas", group.ideas().size())
          .put("votes", dots.getOrDefault(group.id(), 0));
    }
    root.put("votes", state.totalDots(vote));
    root.put("voters", state.voters(vote));
    root.put("attendance", state.attendance().total());
    return root;
  }

  /** The same totals, read from the server's answer. */
  private static JsonNode totals(JsonNode workshop) {
    var root = MAPPER.createObjectNode();
    root.put("ideas", workshop.path("ideas").asInt());
    var groups = root.putArray("groups");
    for (JsonNode group : workshop.path("groups")) {
      groups
          .addObject()
          .put("title", group.path("title").asText())
          .put("ideas", group.path("ideas").size())
          .put("votes", group.path("votes").asInt());
    }
    root.put("votes", workshop.path("votes").asInt());
    root.put("voters", workshop.path("voters").asInt());
    root.put("attendance", workshop.path("attendance").path("total").asInt());
    return root;
  }

  /** {@code simulate --dev --hub ... --event ... --data ...} without the kiosks' options. */
  private static String[] with(String[] simulate, String... more) {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < simulate.length; i++) {
      if (simulate[i].equals("--kiosks") || simulate[i].equals("--responses")) {
        i++;
        continue;
      }
      args.add(simulate[i]);
    }
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.hub.TestSupport.awaitJson;
import static terrain.hub.TestSupport.config;
import static terrain.hub.TestSupport.freePort;
import static terrain.hub.TestSupport.kiosk;
import static terrain.hub.TestSupport.send;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.event.EventDefinition;
import terrain.core.event.EventLoader;
import terrain.core.event.ProfileSettings;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.results.ProfileCounts;
import terrain.core.results.Representation;
import terrain.core.wire.Topics;
import terrain.testkit.MqttPeer;

/**
 * The hub tells the tablets who is missing: a kiosk's responses reach the hub over MQTT, and a
 * tablet subscribed to {@code event/{id}/missing} gets the counts per band of the event's
 * population as one retained message, the same the hub's live page says its lines from.
 */
class HubMissingRelayTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void relay_publishesTheProfileCountsRetained_andAgainWhenTheyChange() throws Exception {
    EventDefinition market = EventLoader.load(Path.of("../examples/events/market-day.yaml"));
    DeviceId kioskId = DeviceId.of("kiosque-missing");
    try (Hub hub =
            Hub.start(
                config(dir, 0, "tcp://127.0.0.1:" + freePort(), "hub-missing")
                    .withEvents(List.of(market)),
                Clock.systemUTC(),
                new SecureRandom());
        MqttPeer kiosk = kiosk(kioskId, hub.mqttPort());
        MqttPeer tablet = kiosk(DeviceId.of("tablette-missing"), hub.mqttPort())) {
      String topic = Topics.eventMissing(market.id());
      tablet.subscribe(topic);
      ProfileCounts empty = await(tablet, topic, c -> true);
      assertEquals(0L, empty.ageBands().get("18-29"), "every band of the population, 0 at first");

      // 36 aged 45-59, 4 aged 18-29, all from La Bastide.
      List<Record> records = new ArrayList<>();
      for (int i = 1; i <= 40; i++) {
        byte[] body =
            new ResponseBody(
                    "avenir-du-marche",
                    List.of(
                        new ResponseBody.Answer("venue", List.of("pied")),
                        new ResponseBody.Answer(
                            ProfileSettings.AGE_ANSWER, List.of(i <= 4 ? "18-29" : "45-59")),
                        new ResponseBody.Answer(ProfileSettings.AREA_ANSWER, List.of("bastide"))))
                .encode();
        records.add(
            new Record(
                kioskId, i, RecordKind.RESPONSE, market.id(), System.currentTimeMillis(), 0, body));
      }
      send(kiosk, kioskId, 1, records);

      ProfileCounts counts = await(tablet, topic, c -> c.areas().get("bastide") == 40L);
      assertEquals(market.id(), counts.eventId());
      assertEquals(
          market.population().get().ageBands().values().keySet(),
          counts.ageBands().keySet(),
          "the population's bands, in its order");
      assertEquals(4L, counts.ageBands().get("18-29"));
      assertEquals(36L, counts.ageBands().get("45-59"));
      assertEquals(0L, counts.areas().get("chartrons"));
      assertTrue(
          tablet.last(topic).orElseThrow().payload().length < 300,
          "small: " + tablet.last(topic).orElseThrow().payload().length);

      // A tablet that comes later gets it at once, retained.
      try (MqttPeer late = kiosk(DeviceId.of("tablette-tard"), hub.mqttPort())) {
        late.subscribe(topic);
        MqttPeer.Message retained = late.next(WAIT);
        assertEquals(topic, retained.topic());
        assertTrue(retained.retained(), "retained");
        assertEquals(counts, ProfileCounts.decode(retained.payload()));
      }

      // The same groups as the hub's live page says are missing.
      JsonNode live =
          awaitJson(
              hub.httpUrl() + "/api/results?lang=fr", v -> v.path("responses").asInt() == 40, WAIT);
      Representation tabletSide =
          Representation.of(market.population().get(), counts.ageBands(), counts.areas());
      assertEquals(live.path("missing").size(), tabletSide.missing().size(), live.toString());
      assertTrue(tabletSide.missing().size() >= 2, tabletSide.missing().toString());
    }
  }

  private static ProfileCounts await(
      MqttPeer tablet, String topic, java.util.function.Predicate<ProfileCounts> wanted) {
    return Awaitility.await()
        .atMost(WAIT)
        .until(
            () -> tablet.last(topic).map(m -> ProfileCounts.decode(m.payload())).orElse(null),
            c -> c != null && wanted.test(c));
  }
}

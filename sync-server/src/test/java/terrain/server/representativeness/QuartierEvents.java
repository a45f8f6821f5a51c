// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import terrain.core.event.ProfileSettings;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;
import terrain.core.wire.Batch;
import terrain.core.wire.Topics;
import terrain.server.SyncServer;
import terrain.server.testkit.Peers;
import terrain.server.testkit.TestEnv;
import terrain.testkit.MqttPeer;

/**
 * The test event {@code quartier-test} (population 50 % young, 50 % elders; north and south alike)
 * and 105 participations sent through a hub's batch, twice:
 *
 * <pre>
 *            north  south  elsewhere  no profile
 * young        10     20
 * elders       30     40          3           2
 * </pre>
 *
 * Every young says yes to the park, every elder no: raw 30 % yes among the 100 weighted, and raking
 * to the population gives exactly 50 %. Three participants came by bike (a share under 5, hidden);
 * each participation pins the map and the first ten write a word.
 */
public final class QuartierEvents {
  public static final String EVENT = "quartier-test";
  public static final String ADMIN = "admin-token-for-representativeness-0123456789";
  public static final DeviceId KIOSK = DeviceId.of("borne-quartier");
  public static final int PARTICIPATIONS = 105;

  private QuartierEvents() {}

  public static SyncServer start(Path dir) throws Exception {
    SyncServer server =
        SyncServer.start(
            TestEnv.moderatedConfig(
                dir, null, List.of(Path.of("src/test/resources/events/quartier.yaml")), ADMIN),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    List<Record> records = records();
    DeviceId hubId = DeviceId.of("hub-quartier-" + TestEnv.unique());
    try (MqttPeer hub = Peers.hub("tcp://127.0.0.1:" + server.brokerPort(), hubId)) {
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 1, records));
      hub.nextAck(Duration.ofSeconds(20));
      hub.publish(Topics.hubUp(hubId), new Batch(hubId, 2, records));
      assertEquals(
          Map.of(KIOSK, (long) PARTICIPATIONS), hub.nextAck(Duration.ofSeconds(20)).upTo());
    }
    return server;
  }

  static List<Record> records() {
    List<Record> out = new ArrayList<>();
    add(out, "jeunes", "nord", 10);
    add(out, "jeunes", "sud", 20);
    add(out, "aines", "nord", 30);
    add(out, "aines", "sud", 40);
    add(out, "aines", "ailleurs", 3);
    add(out, "", "", 2);
    return out;
  }

  private static void add(List<Record> out, String age, String area, int count) {
    for (int i = 0; i < count; i++) {
      long seq = out.size() + 1;
      List<ResponseBody.Answer> answers = new ArrayList<>();
      answers.add(new ResponseBody.Answer("q-parc", List.of(age.equals("jeunes") ? "yes" : "no")));
      answers.add(new ResponseBody.Answer("q-mode", List.of(seq <= 3 ? "velo" : "pied")));
      answers.add(
          new ResponseBody.Answer(
              "q-lieu",
              List.of(),
              Optional.of(new ResponseBody.Pin((int) (seq * 7 % 1000), (int) (seq * 13 % 1000))),
              Optional.empty()));
      if (seq <= 10) {
        answers.add(
            new ResponseBody.Answer(
                "q-mot", List.of(), Optional.empty(), Optional.of("mot, \"n°" + seq + "\"\nfin")));
      }
      if (!age.isEmpty()) {
        answers.add(new ResponseBody.Answer(ProfileSettings.AGE_ANSWER, List.of(age)));
        answers.add(new ResponseBody.Answer(ProfileSettings.AREA_ANSWER, List.of(area)));
      }
      ResponseBody body = new ResponseBody("avis", answers);
      out.add(
          new Record(
              KIOSK,
              seq,
              RecordKind.RESPONSE,
              EVENT,
              1_780_000_000_000L + seq * 60_000,
              0,
              body.encode()));
    }
  }
}

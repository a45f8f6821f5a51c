// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import terrain.core.record.DeviceId;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.core.record.ResponseBody;

/** Builds RESPONSE records and the counts they must produce. */
public final class Responses {
  private Responses() {}

  /** A response to a two-question poll: {@code q-mode} (single) and {@code q-wish} (multiple). */
  public static Record response(
      DeviceId device, long seq, String eventId, String mode, List<String> wishes) {
    ResponseBody body =
        new ResponseBody(
            "poll-1",
            List.of(
                new ResponseBody.Answer("q-mode", List.of(mode)),
                new ResponseBody.Answer("q-wish", wishes)));
    return new Record(
        device, seq, RecordKind.RESPONSE, eventId, 1_700_000_000_000L + seq, 0, body.encode());
  }

  /** Seq 1..count of a device, with answers cycling through a few options. */
  public static List<Record> of(DeviceId device, String eventId, int count) {
    String[] modes = {"pied", "velo", "tram"};
    String[] wishes = {"bio", "halle", "bancs"};
    List<Record> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      out.add(
          response(
              device,
              i,
              eventId,
              modes[(i + device.value().length()) % modes.length],
              i % 2 == 0
                  ? List.of(wishes[i % wishes.length], wishes[(i + 1) % wishes.length])
                  : List.of(wishes[i % wishes.length])));
    }
    return out;
  }

  /** question to option to count, as the summary must report it. */
  public static Map<String, Map<String, Long>> counts(List<Record> records) throws Exception {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    for (Record record : records) {
      for (ResponseBody.Answer answer : ResponseBody.decode(record.body()).answers()) {
        for (String option : answer.optionIds()) {
          counts
              .computeIfAbsent(answer.questionId(), q -> new TreeMap<>())
              .merge(option, 1L, Long::sum);
        }
      }
    }
    return counts;
  }
}

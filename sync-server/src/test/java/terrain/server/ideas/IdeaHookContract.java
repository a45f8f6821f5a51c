// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ideas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import terrain.core.record.DeviceId;
import terrain.core.record.IdeaBody;
import terrain.core.record.Record;
import terrain.core.record.RecordKind;
import terrain.server.testkit.DatabaseContract;
import terrain.store.RecordStore;

/** The ideas kept by {@link IdeaHook}, read back by {@link Ideas}, on each database. */
abstract class IdeaHookContract extends DatabaseContract {
  private static final DeviceId K1 = DeviceId.of("k1");
  private static final DeviceId K2 = DeviceId.of("k2");

  RecordStore store;
  Ideas ideas;
  final IdeaHook hook =
      new IdeaHook(Clock.fixed(Instant.parse("2026-06-21T08:00:00Z"), ZoneOffset.UTC));

  @BeforeEach
  void open() throws Exception {
    store = new RecordStore(database);
    ideas = new Ideas(database);
  }

  @AfterEach
  void close() throws Exception {
    closeAll(ideas, store);
  }

  static Record idea(DeviceId device, long seq, String event, long time, IdeaBody body) {
    return new Record(device, seq, RecordKind.IDEA, event, time, 0, body.encode());
  }

  @Test
  void accept_whenIdeasArriveTwice_storesEachOnceNewestFirst() throws Exception {
    IdeaBody first = new IdeaBody("p", "nature", "fr", "Des arbres", "Beaucoup d'arbres");
    IdeaBody second = new IdeaBody("p", "", "ar", "", "مقاعد في الظل");
    IdeaBody third = new IdeaBody("p", "jeux", "en", "Swings", "😀 for kids");
    List<Record> batch =
        List.of(
            idea(K1, 3, "ev", 1_000, first),
            idea(K2, 7, "ev", 3_000, second),
            idea(K1, 9, "ev", 2_000, third),
            idea(K1, 10, "other", 9_000, first));

    store.accept(batch.subList(0, 2), 1, false, hook);
    store.accept(batch, 2, false, hook);
    store.accept(batch, 3, false, hook);

    List<Ideas.Idea> read = ideas.newestFirst("ev", 100);
    assertEquals(3, ideas.count("ev"));
    assertEquals(List.of(7L, 9L, 3L), read.stream().map(Ideas.Idea::seq).toList());
    Ideas.Idea arabic = read.get(0);
    assertEquals(K2, arabic.device());
    assertEquals("", arabic.themeId());
    assertEquals("مقاعد في الظل", arabic.text());
    assertEquals("ar", arabic.language());
    assertEquals("😀 for kids", read.get(1).text());
    assertEquals(1, ideas.count("other"));
    assertEquals(
        List.of(9L), ideas.newestFirst("ev", 2).stream().skip(1).map(Ideas.Idea::seq).toList());
  }

  @Test
  void accept_whenBodyDoesNotDecode_keepsTheRecordButNoIdea() throws Exception {
    Record broken = new Record(K1, 1, RecordKind.IDEA, "ev", 1, 0, new byte[] {9, 9});
    Record good = idea(K1, 2, "ev", 2, new IdeaBody("p", "", "fr", "T", ""));

    RecordStore.AcceptResult result = store.accept(List.of(broken, good), 1, false, hook);

    assertEquals(2, result.inserted());
    assertEquals(1, ideas.count("ev"));
    assertEquals("T", ideas.newestFirst("ev", 10).get(0).title());
  }

  @Test
  void accept_whenLongestIdea_fitsTheColumns() throws Exception {
    IdeaBody longest =
        new IdeaBody(
            "p",
            "t".repeat(64),
            "fr",
            "😀".repeat(IdeaBody.MAX_TITLE_CHARS),
            "😀".repeat(IdeaBody.MAX_TEXT_CHARS));

    store.accept(List.of(idea(K1, 1, "ev", 1, longest)), 1, false, hook);

    assertEquals(longest.text(), ideas.newestFirst("ev", 1).get(0).text());
  }
}

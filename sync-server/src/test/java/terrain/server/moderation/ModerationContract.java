// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import terrain.core.record.ResponseBody;
import terrain.server.ideas.IdeaHook;
import terrain.server.ideas.Ideas;
import terrain.server.results.EventCatalog;
import terrain.server.results.Results;
import terrain.server.results.TallyHook;
import terrain.server.testkit.DatabaseContract;
import terrain.store.RecordStore;

/**
 * Decisions kept by {@link Moderation}, and what the public readers then show, on each database.
 */
abstract class ModerationContract extends DatabaseContract {
  private static final DeviceId K1 = DeviceId.of("k1");
  private static final Instant NOON = Instant.parse("2026-06-21T12:00:00Z");

  RecordStore store;
  Ideas ideas;
  Results results;
  Moderation moderation;
  Moderation later;

  @BeforeEach
  void open() throws Exception {
    store = new RecordStore(database);
    ideas = new Ideas(database);
    results = new Results(database, EventCatalog.empty());
    moderation = new Moderation(database, Clock.fixed(NOON, ZoneOffset.UTC));
    later = new Moderation(database, Clock.fixed(NOON.plusSeconds(3600), ZoneOffset.UTC));
    IdeaHook ideaHook = new IdeaHook(Clock.fixed(NOON, ZoneOffset.UTC));
    TallyHook tally = new TallyHook();
    List<Record> records =
        List.of(
            idea(1, 1_000, "Des arbres"),
            idea(2, 3_000, "Un banc"),
            text(3, 2_000, "Plus de marchés"),
            idea(4, 4_000, "Un kiosque"));
    store.accept(
        records,
        5_000,
        false,
        (c, inserted) -> {
          tally.inserted(c, inserted);
          ideaHook.inserted(c, inserted);
        });
  }

  @AfterEach
  void close() throws Exception {
    closeAll(later, moderation, results, ideas, store);
  }

  private static Record idea(long seq, long time, String title) {
    return new Record(
        K1,
        seq,
        RecordKind.IDEA,
        "ev",
        time,
        0,
        new IdeaBody("p", "", "fr", title, "texte " + seq).encode());
  }

  private static Record text(long seq, long time, String text) {
    return new Record(
        K1,
        seq,
        RecordKind.RESPONSE,
        "ev",
        time,
        0,
        new ResponseBody("p", List.of(ResponseBody.Answer.text("mot", text))).encode());
  }

  private static Moderation.Key idea(long seq) {
    return new Moderation.Key(Moderation.Kind.IDEA, K1, seq, "");
  }

  @Test
  void workshopIdea_waitsPendingWithItsTable_andIsDecidedLikeAKioskIdea() throws Exception {
    DeviceId tablet = DeviceId.of("tablette-2");
    Record idea =
        new Record(
            tablet,
            1,
            RecordKind.WORKSHOP,
            "ev",
            6_000,
            0,
            new terrain.core.workshop.WorkshopAction.Idea("idees", 2, "ar", "ملعب للأطفال")
                .encode());
    Record vote =
        new Record(
            tablet,
            2,
            RecordKind.WORKSHOP,
            "ev",
            7_000,
            0,
            new terrain.core.workshop.WorkshopAction.Vote(
                    "vote", "voter-1", new terrain.core.workshop.ItemRef(tablet, 1), 1)
                .encode());
    terrain.server.workshop.WorkshopIdeaHook hook =
        new terrain.server.workshop.WorkshopIdeaHook(Clock.fixed(NOON, ZoneOffset.UTC));
    store.accept(List.of(idea, vote), 8_000, false, hook);
    store.accept(List.of(idea, vote), 9_000, false, hook);

    Moderation.Key key = new Moderation.Key(Moderation.Kind.WORKSHOP, tablet, 1, "");
    List<Moderation.Item> pending = moderation.pending(50);
    List<Moderation.Item> workshop =
        pending.stream().filter(i -> i.key().kind() == Moderation.Kind.WORKSHOP).toList();
    assertEquals(1, workshop.size(), "the idea once, the vote not: " + pending);
    assertEquals(key, workshop.get(0).key());
    assertEquals("2", workshop.get(0).title(), "its table");
    assertEquals("ملعب للأطفال", workshop.get(0).text());
    assertEquals("ar", workshop.get(0).language());
    assertEquals(key, Moderation.Key.parse(Moderation.Kind.WORKSHOP, "tablette-2~1").orElseThrow());
    assertTrue(Moderation.Key.parse(Moderation.Kind.WORKSHOP, "tablette-2~1~q").isEmpty());

    assertTrue(
        moderation.decide(key, Moderation.Verdict.PUBLISH, "Karim")
            instanceof Moderation.Outcome.Decided);
    assertTrue(
        moderation.decide(
                new Moderation.Key(Moderation.Kind.WORKSHOP, tablet, 2, ""),
                Moderation.Verdict.PUBLISH,
                "Karim")
            instanceof Moderation.Outcome.NotFound,
        "a vote is not an idea");
    assertTrue(moderation.decided(50).stream().anyMatch(i -> i.key().equals(key)), "decided");
  }

  @Test
  void pending_whenNothingDecided_listsIdeasAndTextsNewestFirstAndNothingIsPublic()
      throws Exception {
    List<String> pending = moderation.pending(100).stream().map(i -> i.key().id()).toList();

    assertEquals(List.of("k1~4", "k1~2", "k1~3~mot", "k1~1"), pending);
    assertEquals(List.of(), ideas.published("ev", 100));
    assertEquals(3, ideas.count("ev"));
    assertEquals(0, ideas.publishedCount("ev"));
    assertEquals(
        List.of(), results.summary("ev").orElseThrow().texts().getOrDefault("mot", List.of()));
    assertEquals(2, moderation.pending(2).size());
  }

  @Test
  void decide_whenPublishedThenRejected_changesWhatIsPublicAndKeepsWhoAndWhen() throws Exception {
    Moderation.Outcome published = moderation.decide(idea(2), Moderation.Verdict.PUBLISH, "Claire");
    Moderation.Outcome again = later.decide(idea(2), Moderation.Verdict.PUBLISH, "Karim");

    var first = assertInstanceOf(Moderation.Outcome.Decided.class, published);
    assertTrue(first.changed());
    var same = assertInstanceOf(Moderation.Outcome.Decided.class, again);
    assertFalse(same.changed(), "the same decision twice changes nothing");
    assertEquals(
        new Moderation.Decision(Moderation.Verdict.PUBLISH, "Claire", NOON.toEpochMilli()),
        same.decision());
    assertEquals(
        List.of("Un banc"), ideas.published("ev", 10).stream().map(Ideas.Idea::title).toList());
    assertEquals(1, ideas.publishedCount("ev"));
    assertFalse(moderation.pending(100).stream().anyMatch(i -> i.key().equals(idea(2))));

    var unpublished =
        assertInstanceOf(
            Moderation.Outcome.Decided.class,
            later.decide(idea(2), Moderation.Verdict.REJECT, "Karim"));

    assertTrue(unpublished.changed());
    assertEquals(List.of(), ideas.published("ev", 10));
    Moderation.Item decided = moderation.decided(10).get(0);
    assertEquals(idea(2), decided.key());
    assertEquals(
        new Moderation.Decision(
            Moderation.Verdict.REJECT, "Karim", NOON.plusSeconds(3600).toEpochMilli()),
        decided.decision().orElseThrow());
  }

  @Test
  void decide_whenText_publishesOnlyThatTextInTheSummary() throws Exception {
    moderation.decide(
        new Moderation.Key(Moderation.Kind.TEXT, K1, 3, "mot"), Moderation.Verdict.PUBLISH, "C");

    var summary = results.summary("ev").orElseThrow();
    assertEquals("Plus de marchés", summary.texts().get("mot").get(0).text());
    assertEquals(1L, summary.publishedTextCounts().get("mot"));
    assertEquals(1L, summary.textCounts().get("mot"));
  }

  @Test
  void decide_whenNoSuchItem_isNotFoundAndStoresNothing() throws Exception {
    assertInstanceOf(
        Moderation.Outcome.NotFound.class,
        moderation.decide(idea(99), Moderation.Verdict.PUBLISH, "C"));
    // A text key on an idea's record is no text.
    assertInstanceOf(
        Moderation.Outcome.NotFound.class,
        moderation.decide(
            new Moderation.Key(Moderation.Kind.TEXT, K1, 2, "mot"),
            Moderation.Verdict.PUBLISH,
            "C"));
    assertEquals(List.of(), moderation.decided(10));
  }

  @Test
  void keyParse_whenMalformed_isEmpty() {
    assertEquals(idea(7), Moderation.Key.parse(Moderation.Kind.IDEA, "k1~7").orElseThrow());
    assertTrue(Moderation.Key.parse(Moderation.Kind.IDEA, "k1~7~mot").isEmpty());
    assertTrue(Moderation.Key.parse(Moderation.Kind.TEXT, "k1~7").isEmpty());
    assertTrue(Moderation.Key.parse(Moderation.Kind.IDEA, "k1~0").isEmpty());
    assertTrue(Moderation.Key.parse(Moderation.Kind.IDEA, "k 1~7").isEmpty());
    assertTrue(Moderation.Key.parse(Moderation.Kind.IDEA, "k1~x").isEmpty());
  }
}

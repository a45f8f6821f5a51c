// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.testing;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import terrain.core.event.AnswerOption;
import terrain.core.event.EventDefinition;
import terrain.core.event.LocalizedText;
import terrain.core.event.MapSpec;
import terrain.core.event.Poll;
import terrain.core.event.Question;
import terrain.core.event.Rewards;
import terrain.core.event.Timeouts;
import terrain.core.trust.TrustException;
import terrain.testkit.TestEnrolServer;

/** Event definitions for tests, with a question of every kind. */
public final class TestEvents {
  public static final String EVENT_ID = "marche-test";

  private TestEvents() {}

  /** A server stand-in enrolling devices with bundles that carry {@link #marketYaml()}. */
  public static TestEnrolServer enrolServer() throws java.io.IOException, TrustException {
    return TestEnrolServer.start(EVENT_ID, marketYaml());
  }

  /**
   * Poll "avenir": venue (single, 3), envies (multiple, max 2 of 4), horaires (scale), dimanche.
   */
  public static Poll marketPoll() {
    return new Poll(
        "avenir",
        LocalizedText.of("L'avenir du marché"),
        List.of(
            Question.single(
                "venue",
                LocalizedText.of("Comment êtes-vous venu ?", "How did you come?"),
                List.of(
                    AnswerOption.of("pied", "À pied", "On foot"),
                    AnswerOption.of("velo", "À vélo", "By bike"),
                    AnswerOption.of("voiture", "En voiture", "By car"))),
            Question.multiple(
                "envies",
                LocalizedText.of("Qu'aimeriez-vous ?"),
                List.of(
                    AnswerOption.of("bio", "Bio", "Organic"),
                    AnswerOption.of("halle", "Halle", "Hall"),
                    AnswerOption.of("bancs", "Bancs", "Benches"),
                    AnswerOption.of("jeux", "Jeux", "Games")),
                2),
            Question.scale("horaires", LocalizedText.of("Les horaires ?"), Map.of()),
            Question.yesNo("dimanche", LocalizedText.of("Le dimanche ?"))));
  }

  /** A second poll with a multiple question that allows every option. */
  public static Poll workshopPoll() {
    return new Poll(
        "atelier",
        LocalizedText.of("Atelier"),
        List.of(
            Question.multiple(
                "themes",
                LocalizedText.of("Thèmes"),
                List.of(
                    AnswerOption.of("a", "A", "A"),
                    AnswerOption.of("b", "B", "B"),
                    AnswerOption.of("c", "C", "C")),
                3),
            Question.single(
                "age",
                LocalizedText.of("Âge"),
                List.of(
                    AnswerOption.of("jeune", "Jeune", "Young"),
                    AnswerOption.of("vieux", "Âgé", "Old")))));
  }

  /**
   * Poll "nouveaux": priorites (ranking, max 3 of 4), lieu (map with zones parc, top left quarter,
   * and gare, bottom right quarter, on {@code image}), mot (text, at most 10 characters).
   */
  public static Poll newKindsPoll(Path image) {
    MapSpec map =
        new MapSpec(
            image,
            List.of(
                new MapSpec.Zone("parc", 0, 0, 500, 500),
                new MapSpec.Zone("gare", 500, 500, 1000, 1000)));
    return new Poll(
        "nouveaux",
        LocalizedText.of("Nouveaux"),
        List.of(
            Question.ranking(
                "priorites",
                LocalizedText.of("Vos priorités ?", "Your priorities?"),
                List.of(
                    AnswerOption.of("proprete", "Propreté", "Cleanliness"),
                    AnswerOption.of("velo", "Vélo", "Bikes"),
                    AnswerOption.of("prix", "Prix", "Prices"),
                    AnswerOption.of("ombre", "Ombre", "Shade")),
                3),
            Question.map(
                "lieu",
                LocalizedText.of("Où ?", "Where?"),
                map,
                List.of(LocalizedText.of("Le parc", "The park"), LocalizedText.of("La gare"))),
            Question.text("mot", LocalizedText.of("Un mot ?", "A word?"), 10)));
  }

  /** An event whose only poll is {@link #newKindsPoll}. */
  public static EventDefinition newKinds(Path image) {
    return new EventDefinition(
        EVENT_ID,
        LocalizedText.of("Marché test"),
        "Place du test",
        LocalDate.of(2026, 11, 28),
        List.of(newKindsPoll(image)),
        Rewards.none(),
        Timeouts.defaults());
  }

  public static EventDefinition market() {
    return new EventDefinition(
        EVENT_ID,
        LocalizedText.of("Marché test"),
        "Place du test",
        LocalDate.of(2026, 11, 28),
        List.of(marketPoll(), workshopPoll()),
        Rewards.none(),
        Timeouts.defaults());
  }

  /** The same event as an event file. */
  public static String marketYaml() {
    return """
        id: marche-test
        title: {fr: "Marché test"}
        place: "Place du test"
        date: 2026-11-28
        polls:
          - id: avenir
            title: {fr: "L'avenir du marché"}
            questions:
              - id: venue
                kind: single
                text: {fr: "Comment êtes-vous venu ?"}
                options:
                  - {id: pied, fr: "À pied"}
                  - {id: velo, fr: "À vélo"}
                  - {id: voiture, fr: "En voiture"}
              - id: envies
                kind: multiple
                max: 2
                text: {fr: "Qu'aimeriez-vous ?"}
                options:
                  - {id: bio, fr: "Bio"}
                  - {id: halle, fr: "Halle"}
                  - {id: bancs, fr: "Bancs"}
                  - {id: jeux, fr: "Jeux"}
              - id: horaires
                kind: scale
                text: {fr: "Les horaires ?"}
              - id: dimanche
                kind: yesno
                text: {fr: "Le dimanche ?"}
        """;
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import terrain.core.event.AnswerOption;
import terrain.core.event.ProfileSettings;
import terrain.kiosk.ui.Language;
import terrain.kiosk.ui.Messages;
import terrain.kiosk.ui.TapFilter;
import terrain.kiosk.ui.pick.SinglePick;

/**
 * The optional "who are you" screen: an age band and a neighbourhood, each one tap, each skippable.
 * The kiosk's own age bands have words in every language; bands and neighbourhoods written in the
 * event file show in French or English.
 */
public final class ProfileModel {
  private final SinglePick ages;
  private final SinglePick areas;
  private final BooleanBinding answered;

  public ProfileModel(
      ProfileSettings settings, Language language, Messages messages, TapFilter taps) {
    List<SinglePick.Offer> ageOffers = new ArrayList<>();
    boolean kioskWords = settings.defaultAgeBands();
    for (AnswerOption band : settings.ageBands()) {
      ageOffers.add(
          kioskWords
              ? new SinglePick.Offer(band.id(), messages.text("profile.age." + band.id()), false)
              : new SinglePick.Offer(band.id(), band.label().in(language.tag()), true));
    }
    List<SinglePick.Offer> areaOffers = new ArrayList<>();
    for (AnswerOption area : settings.areas()) {
      areaOffers.add(new SinglePick.Offer(area.id(), area.label().in(language.tag()), true));
    }
    this.ages = new SinglePick("age", ageOffers, taps);
    this.areas = new SinglePick("area", areaOffers, taps);
    this.answered =
        Bindings.createBooleanBinding(
            () -> ages.selected().isPresent() || areas.selected().isPresent(),
            ages.selectedIdProperty(),
            areas.selectedIdProperty());
  }

  public SinglePick ages() {
    return ages;
  }

  /** The neighbourhoods; empty when the event lists none (then only the age is asked). */
  public SinglePick areas() {
    return areas;
  }

  /** At least one of the two is picked. */
  public BooleanBinding answeredProperty() {
    return answered;
  }

  public boolean isAnswered() {
    return answered.get();
  }

  public Optional<String> ageBand() {
    return ages.selected();
  }

  public Optional<String> area() {
    return areas.selected();
  }

  /** Both un-picked (skipping the screen). */
  public void clear() {
    ages.clear();
    areas.clear();
  }
}

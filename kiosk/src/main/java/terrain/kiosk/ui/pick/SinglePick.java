// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui.pick;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import terrain.kiosk.ui.TapFilter;

/**
 * A row of choices of which a resident picks one or none, for the optional screens (an idea's
 * theme, an age band, a neighbourhood): a tap picks a choice, a tap on the picked one un-picks it,
 * so an answer can always be taken back. No toolkit needed.
 */
public final class SinglePick {

  /** One choice, with its words in the resident's language. */
  public static final class Item {
    private final String id;
    private final String label;
    private final boolean fromEvent;
    private final ReadOnlyBooleanWrapper selected = new ReadOnlyBooleanWrapper(false);

    Item(String id, String label, boolean fromEvent) {
      this.id = id;
      this.label = label;
      this.fromEvent = fromEvent;
    }

    public String id() {
      return id;
    }

    public String label() {
      return label;
    }

    /** Whether the words come from the event file (French in a language files cannot hold). */
    public boolean fromEvent() {
      return fromEvent;
    }

    public ReadOnlyBooleanProperty selectedProperty() {
      return selected.getReadOnlyProperty();
    }

    public boolean isSelected() {
      return selected.get();
    }
  }

  /** A choice to offer: its id, its label, whether the label is a text of the event file. */
  public record Offer(String id, String label, boolean fromEvent) {}

  private final String name;
  private final TapFilter taps;
  private final List<Item> items = new ArrayList<>();
  private final ReadOnlyObjectWrapper<String> selectedId = new ReadOnlyObjectWrapper<>();

  /**
   * @param name names the controls for the repeat-press filter, e.g. "theme"
   */
  public SinglePick(String name, List<Offer> offers, TapFilter taps) {
    this.name = name;
    this.taps = taps;
    for (Offer offer : offers) {
      items.add(new Item(offer.id(), offer.label(), offer.fromEvent()));
    }
  }

  public List<Item> items() {
    return List.copyOf(items);
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** The id of the picked choice, null when none. */
  public ReadOnlyObjectProperty<String> selectedIdProperty() {
    return selectedId.getReadOnlyProperty();
  }

  public Optional<String> selected() {
    return Optional.ofNullable(selectedId.get());
  }

  /**
   * A tap on a choice: picks it, or un-picks it if it was picked. A repeated tap within the tap
   * window is ignored.
   *
   * @return whether the tap changed something
   * @throws IllegalArgumentException if no choice has this id
   */
  public boolean tap(String id) {
    Item item =
        items.stream()
            .filter(i -> i.id.equals(id))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("[" + id + "] is not a choice of " + name));
    if (!taps.accept(name + ":" + id)) {
      return false;
    }
    boolean pick = !item.isSelected();
    items.forEach(i -> i.selected.set(false));
    item.selected.set(pick);
    selectedId.set(pick ? id : null);
    return true;
  }

  /** Nothing picked. */
  public void clear() {
    items.forEach(i -> i.selected.set(false));
    selectedId.set(null);
  }
}

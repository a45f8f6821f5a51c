// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A workshop's script (the {@code workshop:} section of an event file): the phases the
 * facilitator's tablet drives on every tablet of the room, and how many tables there are.
 *
 * @param title shown on the projector and the tablets' home
 * @param tables how many table tablets the room has, 1 to {@link #MAX_TABLES}
 * @param phases in order, 1 to {@link #MAX_PHASES}, unique ids; a vote comes after an ideas phase
 */
public record WorkshopScript(LocalizedText title, int tables, List<WorkshopPhase> phases) {

  public static final int MAX_TABLES = 30;
  public static final int MAX_PHASES = 12;

  public WorkshopScript {
    Objects.requireNonNull(title, "WorkshopScript title must not be null");
    if (tables < 1 || tables > MAX_TABLES) {
      throw new IllegalArgumentException(
          "tables is " + tables + "; a workshop room has 1 to " + MAX_TABLES + " tables");
    }
    phases = List.copyOf(Objects.requireNonNull(phases, "WorkshopScript phases must not be null"));
    if (phases.isEmpty() || phases.size() > MAX_PHASES) {
      throw new IllegalArgumentException(
          "a workshop has " + phases.size() + " phases; write 1 to " + MAX_PHASES);
    }
    Set<String> ids = new HashSet<>();
    boolean ideasSeen = false;
    for (WorkshopPhase phase : phases) {
      if (!ids.add(phase.id())) {
        throw new IllegalArgumentException(
            "phase id " + phase.id() + " is used twice; give each phase its own id");
      }
      ideasSeen |= phase.kind() == WorkshopPhase.Kind.IDEAS;
      if (phase.kind() == WorkshopPhase.Kind.VOTE && !ideasSeen) {
        throw new IllegalArgumentException(
            "phase " + phase.id() + " is a vote before any ideas phase; put an ideas phase first");
      }
    }
  }

  /** The phase with this id, if the script has one. */
  public Optional<WorkshopPhase> phase(String id) {
    return phases.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** The position of the phase with this id, or -1. */
  public int indexOf(String id) {
    for (int i = 0; i < phases.size(); i++) {
      if (phases.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }
}

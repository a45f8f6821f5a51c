// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The briqs an event gives for each action of a resident.
 *
 * @param briqsByAction briqs (0 or more) by action, one of {@link #ACTIONS}; an action that is
 *     absent gives no briq
 */
public record Rewards(Map<String, Integer> briqsByAction) {

  /** The actions that can be rewarded: answering a poll, leaving an idea, attending. */
  public static final List<String> ACTIONS = List.of("response", "idea", "attendance");

  public Rewards {
    Objects.requireNonNull(briqsByAction, "Rewards briqsByAction must not be null");
    Map<String, Integer> copy = new LinkedHashMap<>();
    briqsByAction.forEach(
        (action, briqs) -> {
          if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException(
                "Rewards action [" + action + "] must be one of " + String.join(", ", ACTIONS));
          }
          if (briqs == null || briqs < 0) {
            throw new IllegalArgumentException(
                "Rewards briqs for [" + action + "] [" + briqs + "] must be 0 or more");
          }
          copy.put(action, briqs);
        });
    briqsByAction = Collections.unmodifiableMap(copy);
  }

  /** No briq for anything. */
  public static Rewards none() {
    return new Rewards(Map.of());
  }

  /** The briqs given for {@code action}, 0 when the event gives none. */
  public int briqsFor(String action) {
    return briqsByAction.getOrDefault(action, 0);
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.ui;

import javafx.scene.Node;
import javafx.util.Subscription;

/**
 * Ends a view's subscriptions to long-lived models when the view leaves the screen. Screens are
 * made anew for every resident; a subscription left on a model would keep every old screen in
 * memory (a market day of them).
 */
public final class Subscriptions {
  private Subscriptions() {}

  /** Unsubscribes {@code subscription} once {@code node} has been shown and then removed. */
  public static void untilRemoved(Node node, Subscription subscription) {
    node.sceneProperty()
        .addListener(
            (obs, was, now) -> {
              if (was != null && now == null) {
                subscription.unsubscribe();
              }
            });
  }
}

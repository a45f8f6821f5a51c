// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.http;

import gg.jte.Content;
import java.util.Optional;
import terrain.core.text.PageLanguage;
import terrain.store.StoreException;

/**
 * A section another feature adds to an event's public results page, rendered by its own template
 * (escaped by JTE like the page): the page shows it after who took part. Empty when the feature has
 * nothing to show for the event.
 */
@FunctionalInterface
public interface EventPageSection {
  Optional<Content> render(String eventId, PageLanguage language) throws StoreException;
}

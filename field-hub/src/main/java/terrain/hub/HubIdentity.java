// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub;

import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.store.RecordStore;
import terrain.store.StoreException;

/**
 * The hub's id: the one given with {@code --hub-id}, else the one kept in the hub store, else a new
 * {@code hub-xxxxxx} kept there, so a hub keeps its id across restarts.
 */
final class HubIdentity {
  private static final Logger log = LoggerFactory.getLogger(HubIdentity.class);

  /** The store setting that keeps the hub id. */
  static final String SETTING = "hub.id";

  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final int LENGTH = 6;

  private HubIdentity() {}

  static DeviceId resolve(RecordStore store, String configured, RandomGenerator random)
      throws StoreException {
    Optional<String> kept = store.setting(SETTING).filter(DeviceId::isValid);
    if (configured != null) {
      if (kept.isPresent() && !kept.get().equals(configured)) {
        log.warn(
            "Hub id {} (--hub-id) replaces {} kept in this data folder; the server sees this"
                + " hub's uploads under the new id from now on",
            configured,
            kept.get());
      }
      if (kept.isEmpty() || !kept.get().equals(configured)) {
        store.setSetting(SETTING, configured);
      }
      return DeviceId.of(configured);
    }
    if (kept.isPresent()) {
      return DeviceId.of(kept.get());
    }
    String generated = generate(random);
    store.setSetting(SETTING, generated);
    log.info("This hub is now {} (kept in its data folder; --hub-id ID sets another)", generated);
    return DeviceId.of(generated);
  }

  static String generate(RandomGenerator random) {
    StringBuilder id = new StringBuilder("hub-");
    for (int i = 0; i < LENGTH; i++) {
      id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.devices;

import java.security.InvalidKeyException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.Record;
import terrain.core.ticket.DeviceKeys;
import terrain.store.RecordStore;

/**
 * Registers the keys that devices announce in DEVICE_KEY records (body: the raw 32-byte Ed25519
 * public key), inside the transaction that commits them.
 *
 * <p>Trust on first use, and only while development keys are allowed ({@code
 * --allow-development-keys}): until provisioning enrols devices, the first key a device announces
 * is the one its tickets must carry. A different key announced later is a conflict: logged, and the
 * first key kept. With development keys refused, announced keys are not registered.
 */
public final class DeviceKeyHook implements RecordStore.InsertHook {
  private static final Logger log = LoggerFactory.getLogger(DeviceKeyHook.class);

  private final DeviceRegistry registry;
  private final boolean allowDevelopmentKeys;
  private final Clock clock;

  public DeviceKeyHook(DeviceRegistry registry, boolean allowDevelopmentKeys, Clock clock) {
    this.registry = registry;
    this.allowDevelopmentKeys = allowDevelopmentKeys;
    this.clock = clock;
  }

  @Override
  public List<String> statements() {
    return DeviceRegistry.INGEST_STATEMENTS;
  }

  @Override
  public void inserted(Connection connection, List<Record> inserted) throws SQLException {
    for (Record record : inserted) {
      if (record.kind() != terrain.core.record.RecordKind.DEVICE_KEY) {
        continue;
      }
      byte[] raw = record.body();
      try {
        DeviceKeys.publicKeyFromRaw(raw);
      } catch (InvalidKeyException e) {
        log.warn(
            "Device key record {} is stored but not registered: {}", record, e.getMessage(), e);
        continue;
      }
      if (!allowDevelopmentKeys) {
        log.warn(
            "Device {} announced a key that is not registered: development keys are refused."
                + " Enrol the device with provisioning (terrain provision device enrol), or start"
                + " the server with --dev for a demo.",
            record.device());
        continue;
      }
      DeviceRegistry.Registration result =
          registry.register(connection, record.device(), raw, clock.instant().getEpochSecond());
      switch (result) {
        case REGISTERED -> log.info("Registered the key of device {} (first use)", record.device());
        case ALREADY_KNOWN -> {}
        case CONFLICT ->
            log.warn(
                "Device {} announced a different key in {}: the first key is kept. If the device"
                    + " was reset, revoke it and enrol it again under a new id.",
                record.device(),
                record);
      }
    }
  }
}

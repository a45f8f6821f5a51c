// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import terrain.core.trust.DeviceKind;

/**
 * One device on the kit.
 *
 * @param id the id the server gave, e.g. kiosk-3f9a1c
 * @param kind kiosk, tablet or hub
 * @param name the name staff know it by, printed big on its label
 * @param event the event it is enrolled for
 * @param enrolment the enrolment text, printed as a QR code exactly as given
 * @param expiresAt when the enrolment stops working
 * @param hub the hub the device connects to (tcp://HOST:PORT), if given at enrolment
 */
record KitDevice(
    String id,
    DeviceKind kind,
    String name,
    String event,
    String enrolment,
    Instant expiresAt,
    Optional<String> hub) {

  KitDevice {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(enrolment, "enrolment");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(hub, "hub");
  }
}

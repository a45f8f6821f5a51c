// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.ticket;

import java.util.HexFormat;

/** Fixed key pairs for tests: Ed25519 signatures are deterministic, so codes are too. */
final class TestKeys {

  /** The secret key of RFC 8032, section 7.1, test 1. */
  static final String RFC8032_SEED =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

  /** Its public key, from the same test vector. */
  static final String RFC8032_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

  private TestKeys() {}

  static DeviceKeys kiosk() {
    return DeviceKeys.fromSeed(HexFormat.of().parseHex(RFC8032_SEED));
  }

  /** Another device's keys. */
  static DeviceKeys other() {
    return DeviceKeys.fromSeed(new byte[32]);
  }
}

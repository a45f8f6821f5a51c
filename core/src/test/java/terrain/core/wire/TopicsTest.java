// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import terrain.core.record.DeviceId;

class TopicsTest {
  @Test
  void topics_withoutNamespace_areTheReadmesV1Topics() {
    // The build never sets TERRAIN_MQTT_NAMESPACE for unit tests, as production never does.
    assertEquals("", Topics.NAMESPACE);
    assertEquals("terrain/v1/hub/hub-01/up", Topics.hubUp(DeviceId.of("hub-01")));
    assertEquals("terrain/v1/dev/+/up", Topics.ALL_DEVICE_UP);
    assertEquals("terrain/v1/event/market/config", Topics.eventConfig("market"));
  }

  @Test
  void namespace_whenSet_prefixesTheRoot_elseNothing() {
    assertEquals("", Topics.namespace(null));
    assertEquals("", Topics.namespace(""));
    assertEquals("it-3f2a/", Topics.namespace("it-3f2a"));
  }

  @Test
  void namespace_whenNotOneTopicLevelOfLowerCase_isRefusedNamingTheVariable() {
    for (String bad : new String[] {"It", "a/b", "#", "+", "-x", "a b", "x".repeat(49)}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Topics.namespace(bad), bad);
      assertTrue(e.getMessage().contains("TERRAIN_MQTT_NAMESPACE [" + bad + "]"), e.getMessage());
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import terrain.broker.TopicAcl.Activity;
import terrain.broker.TopicAcl.Grant;
import terrain.broker.TopicAcl.Sharing;
import terrain.core.record.DeviceId;
import terrain.core.wire.Topics;
import terrain.transport.MqttCredentials.Principal;
import terrain.transport.MqttCredentials.Role;

/** The ACL must grant exactly the topics the wire protocol uses. */
class TopicAclTest {

  static Stream<Arguments> devicesAndHubs() {
    DeviceId kiosk = DeviceId.of("kiosk-1");
    DeviceId hub = DeviceId.of("hub-1");
    return Stream.of(
        arguments(
            new Principal(Role.DEVICE, "kiosk-1"),
            List.of(Topics.deviceUp(kiosk), Topics.deviceStatus(kiosk), Topics.deviceAck(kiosk))),
        arguments(
            new Principal(Role.HUB, "hub-1"),
            List.of(Topics.hubUp(hub), Topics.hubStatus(hub), Topics.hubAck(hub))));
  }

  @ParameterizedTest
  @MethodSource("devicesAndHubs")
  void grantsFor_whenDeviceOrHub_matchTheWireTopicsOfThatClient(
      Principal principal, List<String> upStatusAck) {
    assertEquals(
        List.of(
            Grant.publish(upStatusAck.get(0)),
            Grant.publish(upStatusAck.get(1)),
            Grant.subscribe(upStatusAck.get(2)),
            Grant.subscribe(Topics.eventConfig("+")),
            Grant.subscribe(Topics.eventWorkshop("+")),
            Grant.subscribe(Topics.eventMissing("+")),
            Grant.subscribe(Topics.REVOCATIONS)),
        TopicAcl.grantsFor(principal));
  }

  @Test
  void grantsFor_whenService_allowsEverythingUnderTerrainAndTheIngestShareGroup() {
    assertEquals(
        List.of(
            new Grant("terrain/#", Activity.ALL, Sharing.NOT_SHARED, null),
            new Grant("terrain/#", Activity.SUBSCRIBE, Sharing.SHARED, "terrain-ingest")),
        TopicAcl.grantsFor(new Principal(Role.SERVICE, "ingest")));
    assertEquals("$share/" + TopicAcl.INGEST_SHARE_GROUP + "/", Topics.INGEST_GROUP);
  }

  @Test
  void grantsFor_whenServiceWithAnotherIngestGroup_sharesOnlyInThatGroup() {
    assertEquals(
        List.of(
            new Grant("terrain/#", Activity.ALL, Sharing.NOT_SHARED, null),
            new Grant("terrain/#", Activity.SUBSCRIBE, Sharing.SHARED, "lyon-2")),
        TopicAcl.grantsFor(new Principal(Role.SERVICE, "ingest"), "lyon-2"));
    assertEquals("$share/lyon-2/", Topics.ingestGroup("lyon-2"));
    assertThrows(IllegalArgumentException.class, () -> Topics.ingestGroup("lyon/#"));
  }
}

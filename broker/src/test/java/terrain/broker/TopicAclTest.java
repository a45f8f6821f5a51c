// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import terrain.broker.TopicAcl.Activity;
import terrain.broker.TopicAcl.Grant;
import terrain.broker.TopicAcl.Sharing;
import terrain.core.record.DeviceId;
import terrain.core.wire.Topics;
import terrain.transport.MqttCredentials.Principal;
import terrain.transport.MqttCredentials.Role;

/** The ACL must grant exactly the topics the wire protocol uses. */
class TopicAclTest {

  @Test
  void grantsFor_whenDevice_matchTheWireTopicsOfThatDevice() {
    DeviceId kiosk = DeviceId.of("kiosk-1");
    assertEquals(
        List.of(
            Grant.publish(Topics.deviceUp(kiosk)),
            Grant.publish(Topics.deviceStatus(kiosk)),
            Grant.subscribe(Topics.deviceAck(kiosk)),
            Grant.subscribe(Topics.eventConfig("+")),
            Grant.subscribe(Topics.REVOCATIONS)),
        TopicAcl.grantsFor(new Principal(Role.DEVICE, "kiosk-1")));
  }

  @Test
  void grantsFor_whenHub_matchTheWireTopicsOfThatHub() {
    DeviceId hub = DeviceId.of("hub-1");
    assertEquals(
        List.of(
            Grant.publish(Topics.hubUp(hub)),
            Grant.publish(Topics.hubStatus(hub)),
            Grant.subscribe(Topics.hubAck(hub)),
            Grant.subscribe(Topics.eventConfig("+")),
            Grant.subscribe(Topics.REVOCATIONS)),
        TopicAcl.grantsFor(new Principal(Role.HUB, "hub-1")));
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
}

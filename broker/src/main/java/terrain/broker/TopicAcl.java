// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import java.util.List;
import terrain.transport.MqttCredentials.Principal;

/**
 * Which topics each kind of Terrain client may use; everything else is denied. Kept free of broker
 * types so the same table can be rendered for an external broker (Mosquitto ACL, EMQX rules).
 */
final class TopicAcl {

  /** The topic root of the v1 protocol, in this process's namespace if it has one. */
  static final String ROOT =
      terrain.core.wire.Topics.ROOT.substring(0, terrain.core.wire.Topics.ROOT.length() - 1);

  /** What the server's services may use: every Terrain topic of this process's namespace. */
  static final String ALL_TERRAIN = terrain.core.wire.Topics.NAMESPACE + "terrain/#";

  /** The shared-subscription group that sync-server instances use to share ingest. */
  static final String INGEST_SHARE_GROUP = terrain.core.wire.Topics.DEFAULT_INGEST_GROUP;

  /** What a grant allows. */
  enum Activity {
    PUBLISH,
    SUBSCRIBE,
    ALL
  }

  /** Whether a subscription grant applies to plain or shared ({@code $share/group/...}) ones. */
  enum Sharing {
    /** Plain subscriptions only. */
    NOT_SHARED,
    /** Shared subscriptions in {@link Grant#shareGroup()} only. */
    SHARED
  }

  /**
   * One allowed topic filter.
   *
   * @param topicFilter an MQTT topic filter (may contain {@code +} and {@code #})
   * @param activity what may be done on it
   * @param sharing plain or shared subscriptions
   * @param shareGroup the shared-subscription group when {@code sharing} is {@link Sharing#SHARED},
   *     otherwise null
   */
  record Grant(String topicFilter, Activity activity, Sharing sharing, String shareGroup) {
    static Grant publish(String topicFilter) {
      return new Grant(topicFilter, Activity.PUBLISH, Sharing.NOT_SHARED, null);
    }

    static Grant subscribe(String topicFilter) {
      return new Grant(topicFilter, Activity.SUBSCRIBE, Sharing.NOT_SHARED, null);
    }
  }

  private TopicAcl() {}

  /** The grants of a principal, in the order they are checked, with the default ingest group. */
  static List<Grant> grantsFor(Principal principal) {
    return grantsFor(principal, INGEST_SHARE_GROUP);
  }

  /**
   * The grants of a principal, in the order they are checked.
   *
   * @param ingestGroup the only shared-subscription group the server's services may join
   */
  static List<Grant> grantsFor(Principal principal, String ingestGroup) {
    String id = principal.id();
    return switch (principal.role()) {
      case DEVICE -> ownTopicsAndBroadcasts("dev", id);
      case HUB -> ownTopicsAndBroadcasts("hub", id);
      case SERVICE ->
          List.of(
              new Grant(ALL_TERRAIN, Activity.ALL, Sharing.NOT_SHARED, null),
              new Grant(ALL_TERRAIN, Activity.SUBSCRIBE, Sharing.SHARED, ingestGroup));
    };
  }

  /**
   * A kiosk's or a hub's grants: publishing on its own up and status topics, reading its own acks,
   * and reading what the server sends everyone and what a hub relays to its room's tablets.
   */
  private static List<Grant> ownTopicsAndBroadcasts(String kind, String id) {
    String own = ROOT + "/" + kind + "/" + id;
    return List.of(
        Grant.publish(own + "/up"),
        Grant.publish(own + "/status"),
        Grant.subscribe(own + "/ack"),
        Grant.subscribe(ROOT + "/event/+/config"),
        Grant.subscribe(ROOT + "/event/+/workshop"),
        Grant.subscribe(ROOT + "/event/+/missing"),
        Grant.subscribe(ROOT + "/revocations"));
  }
}

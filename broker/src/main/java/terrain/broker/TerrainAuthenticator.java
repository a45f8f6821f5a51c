// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.broker.TopicAcl.Grant;
import terrain.transport.Logins;
import terrain.transport.MqttCredentials;
import terrain.transport.MqttCredentials.Principal;
import terrain.transport.MqttCredentials.Role;

/**
 * Checks every CONNECT's username ({@link MqttCredentials}) and password ({@link Logins}) and gives
 * the client its topic permissions (default deny). HiveMQ applies those permissions to PUBLISH,
 * SUBSCRIBE and to the will.
 */
final class TerrainAuthenticator implements SimpleAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(TerrainAuthenticator.class);

  private final Logins logins;
  private final String ingestGroup;
  private final BooleanSupplier devicesAdmitted;

  TerrainAuthenticator(Logins logins) {
    this(logins, TopicAcl.INGEST_SHARE_GROUP, () -> true);
  }

  /**
   * @param ingestGroup the shared-subscription group the server's services may join
   * @param devicesAdmitted whether devices and hubs may log in yet ({@link
   *     EmbeddedBroker#startHeld}); services always may
   */
  TerrainAuthenticator(Logins logins, String ingestGroup, BooleanSupplier devicesAdmitted) {
    this.logins = logins;
    this.ingestGroup = ingestGroup;
    this.devicesAdmitted = devicesAdmitted;
  }

  @Override
  public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    ConnectPacket connect = input.getConnectPacket();
    String clientId = input.getClientInformation().getClientId();
    Optional<String> username = connect.getUserName();
    Optional<ByteBuffer> password = connect.getPassword();
    if (username.isEmpty() || password.isEmpty()) {
      log.warn("MQTT client '{}' refused: no username or password", printable(clientId));
      output.failAuthentication(
          ConnackReasonCode.NOT_AUTHORIZED, "Terrain brokers need a username and password");
      return;
    }
    Optional<Principal> principal = MqttCredentials.parse(username.get());
    if (principal.isEmpty() || !logins.accepts(principal.get(), bytes(password.get()))) {
      log.warn(
          "MQTT client '{}' refused: bad username or password for '{}'",
          printable(clientId),
          printable(username.get()));
      output.failAuthentication(
          ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "Bad username or password");
      return;
    }
    Principal who = principal.get();
    if (who.role() != Role.SERVICE && !who.id().equals(clientId)) {
      log.warn(
          "MQTT client '{}' refused: user '{}' must connect with client id '{}'",
          printable(clientId),
          who.username(),
          who.id());
      output.failAuthentication(
          ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
          "Client id must be '" + who.id() + "' for user '" + who.username() + "'");
      return;
    }
    if (who.role() != Role.SERVICE && !devicesAdmitted.getAsBoolean()) {
      // The process's ingest has not subscribed yet: what this client sent now would go to no
      // subscriber and be dropped, and it would wait its ack timeout to send it again.
      log.debug(
          "MQTT client '{}' asked to come back: the ingest is not ready", printable(clientId));
      output.failAuthentication(
          ConnackReasonCode.SERVER_UNAVAILABLE,
          "Starting: the ingest is not subscribed yet; try again in a moment");
      return;
    }
    ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
    permissions.clear();
    for (Grant grant : TopicAcl.grantsFor(who, ingestGroup)) {
      permissions.add(toPermission(grant));
    }
    permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
    log.debug("MQTT client '{}' authenticated as {}", clientId, who.username());
    output.authenticateSuccessfully();
  }

  static TopicPermission toPermission(Grant grant) {
    var builder =
        Builders.topicPermission()
            .topicFilter(grant.topicFilter())
            .type(TopicPermission.PermissionType.ALLOW)
            .qos(TopicPermission.Qos.ALL)
            .retain(TopicPermission.Retain.ALL)
            .activity(
                switch (grant.activity()) {
                  case PUBLISH -> TopicPermission.MqttActivity.PUBLISH;
                  case SUBSCRIBE -> TopicPermission.MqttActivity.SUBSCRIBE;
                  case ALL -> TopicPermission.MqttActivity.ALL;
                });
    // HiveMQ's defaults are SharedSubscription.ALL and shared group "#" (any group), so a plain
    // "terrain/#" permission would also allow "$share/<any group>/terrain/#". Be explicit.
    switch (grant.sharing()) {
      case NOT_SHARED -> builder.sharedSubscription(TopicPermission.SharedSubscription.NOT_SHARED);
      case SHARED ->
          builder
              .sharedSubscription(TopicPermission.SharedSubscription.SHARED)
              .sharedGroup(grant.shareGroup());
    }
    return builder.build();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.asReadOnlyBuffer();
    copy.rewind();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  /** Client ids and usernames come from the network: keep log lines short and on one line. */
  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return cut.replaceAll("[\\p{Cntrl}]", "?");
  }
}

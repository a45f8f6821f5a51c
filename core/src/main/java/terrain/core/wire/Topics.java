// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.wire;

import java.util.Optional;
import terrain.core.record.DeviceId;

/**
 * The MQTT topics of protocol v1 (see docs/architecture.md).
 *
 * <p>A process started with the environment variable {@value #NAMESPACE_VARIABLE} set to a name
 * (e.g. {@code it-3f2a}) puts every topic under that name ({@code it-3f2a/terrain/v1/...}): the
 * multi-process tests give each test's server, hub and kiosks a namespace of their own, so tests
 * sharing one broker (Mosquitto in CI) never see each other's batches. Unset, as in production, the
 * topics are the README's {@code terrain/v1/...}. Decision 0021.
 */
public final class Topics {
  /**
   * A shared-subscription group name: 1 to 48 of lower-case letters, digits and '-', starting with
   * a letter or digit (never '/', '+' or '#', which MQTT reserves).
   */
  public static final java.util.regex.Pattern GROUP_NAME =
      java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");

  /** The environment variable naming a process's topic namespace; unset in production. */
  public static final String NAMESPACE_VARIABLE = "TERRAIN_MQTT_NAMESPACE";

  /**
   * What comes before {@code terrain/} in every topic: empty, or the namespace and a slash (see the
   * class comment).
   */
  public static final String NAMESPACE = namespace(System.getenv(NAMESPACE_VARIABLE));

  public static final String ROOT = NAMESPACE + "terrain/v1/";
  public static final String ALL_DEVICE_UP = ROOT + "dev/+/up";
  public static final String ALL_HUB_UP = ROOT + "hub/+/up";
  public static final String ALL_DEVICE_STATUS = ROOT + "dev/+/status";
  public static final String REVOCATIONS = ROOT + "revocations";

  /** The shared-subscription group of the ingest by default ({@code --ingest-group}). */
  public static final String DEFAULT_INGEST_GROUP = "terrain-ingest";

  /** Shared-subscription group: several server instances split the ingest between them. */
  public static final String INGEST_GROUP = ingestGroup(DEFAULT_INGEST_GROUP);

  private Topics() {}

  /**
   * The topic prefix of a namespace: empty when {@code name} is null or empty, else {@code name/}.
   *
   * @throws IllegalArgumentException when {@code name} does not match {@link #GROUP_NAME}
   */
  static String namespace(String name) {
    if (name == null || name.isEmpty()) {
      return "";
    }
    if (!GROUP_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          NAMESPACE_VARIABLE
              + " ["
              + name
              + "] must be 1 to 48 of a-z, 0-9 and '-', starting with a letter or a digit;"
              + " unset it to use the topics terrain/v1/...");
    }
    return name + "/";
  }

  /**
   * The prefix of a shared subscription in {@code group}: {@code $share/GROUP/}.
   *
   * @throws IllegalArgumentException when {@code group} does not match {@link #GROUP_NAME}
   */
  public static String ingestGroup(String group) {
    if (group == null || !GROUP_NAME.matcher(group).matches()) {
      throw new IllegalArgumentException(
          "Ingest group ["
              + group
              + "] must be 1 to 48 of a-z, 0-9 and '-', starting with a letter or a digit");
    }
    return "$share/" + group + "/";
  }

  public static String deviceUp(DeviceId device) {
    return ROOT + "dev/" + device + "/up";
  }

  public static String deviceAck(DeviceId device) {
    return ROOT + "dev/" + device + "/ack";
  }

  public static String deviceStatus(DeviceId device) {
    return ROOT + "dev/" + device + "/status";
  }

  public static String hubUp(DeviceId hub) {
    return ROOT + "hub/" + hub + "/up";
  }

  public static String hubAck(DeviceId hub) {
    return ROOT + "hub/" + hub + "/ack";
  }

  public static String hubStatus(DeviceId hub) {
    return ROOT + "hub/" + hub + "/status";
  }

  public static String eventConfig(String eventId) {
    return ROOT + "event/" + eventId + "/config";
  }

  /**
   * Where a hub relays every WORKSHOP record of an event's room to its tablets: one retained batch
   * of them all, so a tablet back on the Wi-Fi gets the whole room at once (decision 0031).
   */
  public static String eventWorkshop(String eventId) {
    return ROOT + "event/" + eventId + "/workshop";
  }

  /**
   * Where a hub publishes, retained, how many respondents gave each age band and neighbourhood of
   * an event with a population, so its tablets say who is missing (decision 0040).
   */
  public static String eventMissing(String eventId) {
    return ROOT + "event/" + eventId + "/missing";
  }

  /** Where an up topic came from: a device talking to its hub, or a hub talking to the server. */
  public enum Sender {
    DEVICE,
    HUB
  }

  /** The sender of an up message, and the topic on which its ack goes back. */
  public record Up(Sender sender, DeviceId id) {
    public String ackTopic() {
      return sender == Sender.DEVICE ? deviceAck(id) : hubAck(id);
    }
  }

  /** Parses {@code terrain/v1/dev/{id}/up} or {@code terrain/v1/hub/{id}/up}. */
  public static Optional<Up> parseUp(String topic) {
    if (topic == null || !topic.startsWith(ROOT) || !topic.endsWith("/up")) {
      return Optional.empty();
    }
    String middle = topic.substring(ROOT.length(), topic.length() - "/up".length());
    int slash = middle.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String type = middle.substring(0, slash);
    String id = middle.substring(slash + 1);
    if (!DeviceId.isValid(id)) {
      return Optional.empty();
    }
    return switch (type) {
      case "dev" -> Optional.of(new Up(Sender.DEVICE, DeviceId.of(id)));
      case "hub" -> Optional.of(new Up(Sender.HUB, DeviceId.of(id)));
      default -> Optional.empty();
    };
  }
}

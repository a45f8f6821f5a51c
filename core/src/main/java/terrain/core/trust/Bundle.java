// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.trust;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import terrain.core.id.EventId;
import terrain.core.record.DeviceId;

/**
 * What the server tells an enrolled device, signed ({@link SignedBundle}): the event, where the hub
 * and the server are, the server's key, the enrolled devices with their public parts and
 * revocations, the minimum version and the staff PIN's hash. A hub receives the same for its event
 * with no recipient, each time the device list changes, so it admits and refuses devices offline.
 *
 * <p>Written as YAML so that ops staff can read one; the signature covers the exact bytes.
 *
 * @param format {@link #FORMAT}
 * @param sequence grows with every change on the server: a device ignores a bundle older than the
 *     one it has
 * @param issuedAt when it was signed, epoch seconds
 * @param serverKey the server's Ed25519 public key, base64url of the raw 32 bytes
 * @param recipient the device it was made for, or null for an event's hub configuration
 * @param eventId the event
 * @param eventVersion the published version of the event file, 0 when none is published
 * @param eventYaml the event file's text, or null when none is published
 * @param claimHost the claim site printed on tickets ({@code https://...}), or null
 * @param uplink the server's MQTT address for hubs ({@code tcp://} or {@code ssl://}), or null
 * @param hub the hub's MQTT address for kiosks and tablets, or null
 * @param serverCertificateSha256 hex SHA-256 of the server's TLS certificate to pin, or null
 * @param minimumVersion the oldest Terrain version allowed to run the event
 * @param pinHash the staff PIN ({@link PinHash}), or null
 * @param devices every device enrolled for the event, revoked ones included
 */
public record Bundle(
    int format,
    long sequence,
    long issuedAt,
    String serverKey,
    DeviceId recipient,
    EventId eventId,
    int eventVersion,
    String eventYaml,
    String claimHost,
    String uplink,
    String hub,
    String serverCertificateSha256,
    String minimumVersion,
    String pinHash,
    List<Entry> devices) {

  /** The format version written now. */
  public static final int FORMAT = 1;

  /** Largest bundle read: an event file and a few thousand devices. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  /**
   * One enrolled device, public parts only.
   *
   * @param publicKey its Ed25519 public key, base64url of the raw 32 bytes
   * @param secretHash {@link MqttSecret#hash} of its MQTT secret
   * @param revokedAfter epoch seconds after which it is refused, or null
   */
  public record Entry(
      DeviceId id,
      DeviceKind kind,
      String name,
      String publicKey,
      String secretHash,
      Long revokedAfter) {
    public Entry {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(kind, "kind");
      name = name == null ? "" : name;
      Objects.requireNonNull(publicKey, "publicKey");
      if (!MqttSecret.isHash(secretHash)) {
        throw new IllegalArgumentException("secretHash of " + id + " is not a SHA-256 hex");
      }
    }

    /** Whether the device is refused at {@code now} (epoch seconds). */
    public boolean revokedAt(long now) {
      return revokedAfter != null && now > revokedAfter;
    }

    /** The MQTT username this device logs in with. */
    public String mqttUsername() {
      return (kind == DeviceKind.HUB ? "hub:" : "dev:") + id.value();
    }
  }

  public Bundle {
    if (format != FORMAT) {
      throw new IllegalArgumentException("bundle format must be " + FORMAT);
    }
    Objects.requireNonNull(serverKey, "serverKey");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(minimumVersion, "minimumVersion");
    devices = List.copyOf(devices);
  }

  /** The entry of one device. */
  public Optional<Entry> device(DeviceId id) {
    return devices.stream().filter(e -> e.id().equals(id)).findFirst();
  }

  /** The recipient's own entry. */
  public Optional<Entry> self() {
    return recipient == null ? Optional.empty() : device(recipient);
  }

  /** The YAML text of this bundle (what is signed). */
  public byte[] toYaml() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", format);
    m.put("sequence", sequence);
    m.put("issuedAt", issuedAt);
    m.put("serverKey", serverKey);
    putIf(m, "recipient", recipient == null ? null : recipient.value());
    m.put("event", eventId.value());
    m.put("eventVersion", eventVersion);
    putIf(m, "claimHost", claimHost);
    putIf(m, "uplink", uplink);
    putIf(m, "hub", hub);
    putIf(m, "serverCertificateSha256", serverCertificateSha256);
    m.put("minimumVersion", minimumVersion);
    putIf(m, "pinHash", pinHash);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Entry e : devices) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("id", e.id().value());
      d.put("kind", e.kind().label());
      d.put("name", e.name());
      d.put("publicKey", e.publicKey());
      d.put("secretHash", e.secretHash());
      putIf(d, "revokedAfter", e.revokedAfter());
      list.add(d);
    }
    m.put("devices", list);
    putIf(m, "eventYaml", eventYaml);
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setWidth(200);
    Yaml yaml = new Yaml(new Representer(options), options);
    return yaml.dump(m).getBytes(StandardCharsets.UTF_8);
  }

  /** Reads what {@link #toYaml} writes; every problem names the field. */
  public static Bundle fromYaml(byte[] bytes) throws TrustException {
    if (bytes.length > MAX_BYTES) {
      throw new TrustException("the bundle is larger than " + MAX_BYTES + " bytes");
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setCodePointLimit(MAX_BYTES);
    Object root;
    try {
      root = new Yaml(new SafeConstructor(options)).load(new String(bytes, StandardCharsets.UTF_8));
    } catch (YAMLException e) {
      throw new TrustException("the bundle is not valid YAML: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> m)) {
      throw new TrustException("the bundle is not a YAML mapping");
    }
    try {
      List<Entry> devices = new ArrayList<>();
      Object list = m.get("devices");
      if (!(list instanceof List<?> items)) {
        throw new TrustException("the bundle has no devices list");
      }
      for (Object item : items) {
        if (!(item instanceof Map<?, ?> d)) {
          throw new TrustException("a device of the bundle is not a mapping");
        }
        devices.add(
            new Entry(
                DeviceId.of(text(d, "id", true)),
                DeviceKind.parse(text(d, "kind", true)),
                text(d, "name", false),
                text(d, "publicKey", true),
                text(d, "secretHash", true),
                d.get("revokedAfter") == null ? null : number(d, "revokedAfter")));
      }
      String recipient = text(m, "recipient", false);
      return new Bundle(
          (int) number(m, "format"),
          number(m, "sequence"),
          number(m, "issuedAt"),
          text(m, "serverKey", true),
          recipient == null ? null : DeviceId.of(recipient),
          EventId.of(text(m, "event", true)),
          (int) number(m, "eventVersion"),
          text(m, "eventYaml", false),
          text(m, "claimHost", false),
          text(m, "uplink", false),
          text(m, "hub", false),
          text(m, "serverCertificateSha256", false),
          text(m, "minimumVersion", true),
          text(m, "pinHash", false),
          devices);
    } catch (IllegalArgumentException e) {
      throw new TrustException("the bundle is not valid: " + e.getMessage(), e);
    }
  }

  private static void putIf(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static String text(Map<?, ?> m, String key, boolean required) throws TrustException {
    Object v = m.get(key);
    if (v == null) {
      if (required) {
        throw new TrustException("the bundle has no '" + key + "'");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw new TrustException("the bundle's '" + key + "' is not text");
    }
    return s;
  }

  private static long number(Map<?, ?> m, String key) throws TrustException {
    Object v = m.get(key);
    if (!(v instanceof Number n)) {
      throw new TrustException("the bundle's '" + key + "' is missing or not a number");
    }
    return n.longValue();
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import terrain.transport.Logins;
import terrain.transport.MqttCredentials;

/**
 * How to run the embedded MQTT broker.
 *
 * @param workDir the broker's own folder: {@code conf/config.xml} is generated there at each start,
 *     {@code data/} is its data folder (nearly unused: persistence is in memory) and {@code
 *     extensions/} stays empty
 * @param bindAddress the address the MQTT listener binds to, {@code 0.0.0.0} for every interface
 * @param port the MQTT port, or 0 for an ephemeral port (read it back with {@link
 *     EmbeddedBroker#port()})
 * @param logins who may log in (see {@link Logins}): each device's own secret, or passwords derived
 *     from a site key (see {@link MqttCredentials}) in development
 * @param tls the listener's certificate and key, or null for plain TCP (see {@link #withTls})
 * @param ingestGroup the shared-subscription group in which the server's services may subscribe
 *     (see {@link #withIngestGroup})
 */
public record BrokerSettings(
    Path workDir, String bindAddress, int port, Logins logins, Tls tls, String ingestGroup) {

  /**
   * The broker's TLS identity: its private key and certificate chain (the broker's own first). The
   * listener then speaks TLS only ({@code ssl://HOST:PORT}).
   */
  public record Tls(PrivateKey privateKey, List<X509Certificate> chain) {
    public Tls {
      Objects.requireNonNull(privateKey, "privateKey");
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("The TLS certificate chain is empty");
      }
    }

    @Override
    public String toString() {
      return "Tls[" + chain.get(0).getSubjectX500Principal().getName() + "]";
    }
  }

  /** The standard MQTT port. */
  public static final int DEFAULT_PORT = 1883;

  public BrokerSettings {
    Objects.requireNonNull(workDir, "workDir");
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("bindAddress must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("MQTT port must be between 0 and 65535, got " + port);
    }
    Objects.requireNonNull(logins, "logins");
    terrain.core.wire.Topics.ingestGroup(ingestGroup); // validates it
  }

  /** Settings with the default ingest group. */
  public BrokerSettings(Path workDir, String bindAddress, int port, Logins logins, Tls tls) {
    this(workDir, bindAddress, port, logins, tls, terrain.core.wire.Topics.DEFAULT_INGEST_GROUP);
  }

  /** The same settings with another ingest group ({@code server --ingest-group}). */
  public BrokerSettings withIngestGroup(String group) {
    return new BrokerSettings(workDir, bindAddress, port, logins, tls, group);
  }

  /** Settings with a plain TCP listener. */
  public BrokerSettings(Path workDir, String bindAddress, int port, Logins logins) {
    this(workDir, bindAddress, port, logins, null);
  }

  /** The same settings with a TLS listener instead of plain TCP. */
  public BrokerSettings withTls(Tls identity) {
    return new BrokerSettings(workDir, bindAddress, port, logins, identity, ingestGroup);
  }

  /** Settings whose clients' passwords all derive from {@code siteKey} (development). */
  public BrokerSettings(Path workDir, String bindAddress, int port, String siteKey) {
    this(workDir, bindAddress, port, siteKey(siteKey));
  }

  private static Logins siteKey(String siteKey) {
    if (siteKey == null || siteKey.isEmpty()) {
      throw new IllegalArgumentException("siteKey must not be empty");
    }
    return Logins.siteKey(siteKey);
  }

  @Override
  public String toString() {
    // Never print a key or a secret.
    return "BrokerSettings[workDir="
        + workDir
        + ", bindAddress="
        + bindAddress
        + ", port="
        + port
        + (tls == null ? "" : ", tls=" + tls)
        + ", ingestGroup="
        + ingestGroup
        + "]";
  }
}

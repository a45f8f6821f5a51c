// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.client.parameter.ServerInformation;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.util.function.BooleanSupplier;
import terrain.transport.Logins;

/**
 * The embedded extension of Terrain's broker: installs {@link TerrainAuthenticator}. HiveMQ starts
 * extensions before it binds its listeners, so no client can connect unauthenticated.
 */
final class TerrainBrokerExtension implements ExtensionMain {

  private final Logins logins;
  private final String ingestGroup;
  private final BooleanSupplier devicesAdmitted;
  private volatile ServerInformation serverInformation;
  private volatile boolean authenticatorInstalled;

  TerrainBrokerExtension(Logins logins, String ingestGroup, BooleanSupplier devicesAdmitted) {
    this.logins = logins;
    this.ingestGroup = ingestGroup;
    this.devicesAdmitted = devicesAdmitted;
  }

  @Override
  public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
    serverInformation = input.getServerInformation();
    TerrainAuthenticator authenticator =
        new TerrainAuthenticator(logins, ingestGroup, devicesAdmitted);
    Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
    authenticatorInstalled = true;
  }

  @Override
  public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    // The security registry is dropped with the broker.
  }

  /**
   * Whether the authenticator is in place. Embedded HiveMQ allows every client when no
   * authenticator is registered, so the broker must not run if this is false.
   */
  boolean authenticatorInstalled() {
    return authenticatorInstalled;
  }

  /** The broker's server information, once the extension has started. */
  ServerInformation serverInformation() {
    return serverInformation;
  }
}

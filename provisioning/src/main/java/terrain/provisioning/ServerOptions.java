// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --server URL --token ADMIN}: where the sync server's admin API is, and its token. */
final class ServerOptions {

  static final String TOKEN_ENV = "TERRAIN_ADMIN_TOKEN";

  @Option(names = "--server", required = true, paramLabel = "URL", descriptionKey = "server")
  String server;

  @Option(names = "--token", paramLabel = "ADMIN", descriptionKey = "token")
  String token;

  /** A client of the admin API, after checking the address and the token. */
  HttpJson client(CommandSpec spec) throws ProvisionException {
    ProvisionMain.Context context = ProvisionMain.context(spec);
    Texts texts = ProvisionMain.texts(spec);
    URI base = HttpJson.baseUri(server, "--server", texts);
    String admin = token;
    if (admin == null) {
      admin = context.env().get(TOKEN_ENV);
    }
    if (admin == null || admin.isBlank()) {
      throw ProvisionException.usage(texts.get("server.noToken", TOKEN_ENV));
    }
    admin = admin.strip();
    if (!admin.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw ProvisionException.usage(texts.get("server.badToken", TOKEN_ENV));
    }
    return new HttpJson(
        base, HttpJson.Peer.SERVER, Optional.of(admin), texts.get("server.startHint"), texts);
  }
}

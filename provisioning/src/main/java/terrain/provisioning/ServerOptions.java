// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --server URL --token ADMIN}: where the sync server's admin API is, and its token. */
final class ServerOptions {

  static final String TOKEN_ENV = "TERRAIN_ADMIN_TOKEN";

  @Option(
      names = "--server",
      required = true,
      paramLabel = "URL",
      description = "The sync server's address: https://HOST or http://HOST:PORT.")
  String server;

  @Option(
      names = "--token",
      paramLabel = "ADMIN",
      description = "The server's admin token. Default: env " + TOKEN_ENV + ".")
  String token;

  /** A client of the admin API, after checking the address and the token. */
  HttpJson client(ProvisionMain.Context context) throws ProvisionException {
    URI base = HttpJson.baseUri(server, "--server");
    String admin = token;
    if (admin == null) {
      admin = context.env().get(TOKEN_ENV);
    }
    if (admin == null || admin.isBlank()) {
      throw ProvisionException.usage(
          "no admin token: pass --token ADMIN or set "
              + TOKEN_ENV
              + " (the server's --admin-token)");
    }
    admin = admin.strip();
    if (!admin.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw ProvisionException.usage(
          "the admin token holds spaces or characters other than printable ASCII: check --token or "
              + TOKEN_ENV);
    }
    return new HttpJson(
        base,
        "the server",
        Optional.of(admin),
        "check --server and that `terrain server` runs there and is reachable from here");
  }
}

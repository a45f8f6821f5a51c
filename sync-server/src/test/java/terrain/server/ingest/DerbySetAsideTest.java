// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ingest;

/** Records of revoked devices kept aside, on Derby in the server's data folder. */
class DerbySetAsideTest extends SetAsideContract {
  @Override
  String databaseUrl() {
    return null;
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.results;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import terrain.store.Database;

class DerbyOlderRowsFoldedTest extends OlderRowsFoldedContract {
  @TempDir Path dir;

  @Override
  protected String emptyUrl() {
    return Database.derbyUrl(dir.resolve("db"));
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.representativeness;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import terrain.store.Database;

class DerbyProfileCrossHookTest extends ProfileCrossHookContract {
  @TempDir Path dir;

  @Override
  protected Database openDatabase() throws Exception {
    return derby(dir);
  }
}

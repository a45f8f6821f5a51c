// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.access;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import terrain.store.Database;

class DerbyStaffAccountsTest extends StaffAccountsContract {
  @TempDir Path dir;

  @Override
  protected Database openDatabase() throws Exception {
    return derby(dir);
  }
}

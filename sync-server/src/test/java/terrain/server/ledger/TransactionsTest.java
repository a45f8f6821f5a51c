// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.store.Database;
import terrain.store.StoreException;

class TransactionsTest {
  @TempDir Path dir;
  private Database database;

  @BeforeEach
  void open() throws Exception {
    database = Database.open(Database.derbyUrl(dir.resolve("db")));
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void run_whenTheDatabaseSaysTryAgain_triesAgainUntilItWorks() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    String result =
        Transactions.run(
            database,
            "claiming a ticket",
            c -> {
              if (attempts.incrementAndGet() < 5) {
                // Derby's "too much contention on sequence": its identity values ran out at once.
                throw new SQLTransactionRollbackException("contention", "40XL1");
              }
              return "done";
            });
    assertEquals("done", result);
    assertEquals(5, attempts.get());
  }

  @Test
  void run_whenEveryTryFailsOrOneIsNotTransient_givesUpSayingWhatItWasDoing() {
    assertEquals(
        5, triesBeforeGivingUp(new SQLTransactionRollbackException("contention", "40XL1")));
    assertEquals(1, triesBeforeGivingUp(new SQLException("no such table", "42X05")));
  }

  private int triesBeforeGivingUp(SQLException failure) {
    AtomicInteger tries = new AtomicInteger();
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                Transactions.run(
                    database,
                    "claiming a ticket",
                    c -> {
                      tries.incrementAndGet();
                      throw failure;
                    }));
    assertTrue(e.getMessage().contains("claiming a ticket"), e.getMessage());
    return tries.get();
  }
}

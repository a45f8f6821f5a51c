// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.wire.Topics;
import terrain.dist.proc.Child;
import terrain.testkit.Services;

/**
 * {@code ./terrain bench tickets --servers 2 --db URL --broker URL --synced}, small, as a real
 * process: two servers on a PostgreSQL schema of the bench's own and the shared Mosquitto in a
 * group of its own; the tickets synced through the broker, then claimed on both servers in turn.
 * Every claim answered 201 by the server it went to, the books and the database agree (one {@code
 * ticket_claims} row and one credit per ticket), each server's figures printed and written for
 * {@code bench report}, and the schema dropped at the end.
 */
class ClaimBenchServersIT {
  private static final Pattern SHARE =
      Pattern.compile(
          "^  (closed loop|paced), (server-[12]): ([\\d,]+) claims = .* p95 .* p99 .*; errors"
              + " (\\d+)$");
  private static final Pattern SCHEMA =
      Pattern.compile("PostgreSQL \\(schema (bench_tickets_\\w+)\\)");

  @TempDir Path dir;

  @Test
  void twoServers_claimsSpreadOverBoth_eachTicketCreditedOnceAndFiguresWritten() throws Exception {
    String db = Services.postgresUrl();
    String broker = Services.mqttUrl();
    int warmup = 40;
    int claims = 200;
    int rate = 30; // the paced phase: rate x 10 claims
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    int code;
    List<String> output;
    try (Child bench =
        Apps.bench(
            dir,
            // The bench's servers inherit a topic namespace of this test's own (see Apps).
            Map.of("TERRAIN_HOME", home.toString(), Topics.NAMESPACE_VARIABLE, Apps.namespace()),
            "tickets",
            "--count",
            "10",
            "--servers",
            "2",
            "--db",
            db,
            "--broker",
            broker,
            "--synced",
            "--clients",
            "6",
            "--warmup",
            "" + warmup,
            "--claims",
            "" + claims,
            "--rate",
            "" + rate,
            "--data",
            dir.resolve("data").toString())) {
      code = bench.waitFor(Duration.ofMinutes(10));
      output = bench.output();
    }
    String text = String.join("\n", output);
    assertEquals(0, code, text);
    assertTrue(text.contains("2 servers on PostgreSQL (schema bench_tickets_"), text);
    assertTrue(text.contains("(ingest group bench-"), text);
    assertTrue(text.contains("synced " + (warmup + claims + rate * 10) + " TICKET records"), text);

    // Both servers answered their share of each phase, without an error.
    List<String> shares = new ArrayList<>();
    int closedLoop = 0;
    for (String line : output) {
      Matcher m = SHARE.matcher(line);
      if (m.find()) {
        shares.add(m.group(1) + " " + m.group(2));
        int count = Integer.parseInt(m.group(3).replace(",", ""));
        assertTrue(count > 0, line);
        assertEquals("0", m.group(4), line);
        if (m.group(1).equals("closed loop")) {
          closedLoop += count;
        }
      }
    }
    assertEquals(
        List.of("closed loop server-1", "closed loop server-2", "paced server-1", "paced server-2"),
        shares,
        text);
    assertEquals(claims, closedLoop, text);
    int total = warmup + claims + rate * 10;
    assertTrue(
        text.contains(
            String.format(
                "in the database: %,d ticket_claims rows for %,d distinct tickets", total, total)),
        text);
    assertTrue(text.contains("each credited once"), text);
    assertTrue(text.contains("0 tickets credited twice; 50/50 repeated claims got 409"), text);
    assertTrue(text.contains("-> OK"), text);

    // The schema of the bench is gone.
    Matcher schema = SCHEMA.matcher(text);
    assertTrue(schema.find(), text);
    try (Connection c = DriverManager.getConnection(db);
        ResultSet r =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '"
                        + schema.group(1)
                        + "'")) {
      r.next();
      assertEquals(0, r.getInt(1), "schema " + schema.group(1) + " dropped");
    }

    // The figures, for bench report: totals and each server's.
    List<String> figures = Apps.figureNames(home, "tickets-servers2");
    for (String figure :
        List.of(
            "tickets_servers2.synced.claims_per_second",
            "tickets_servers2.synced.paced_p99_ms",
            "tickets_servers2.synced.server1.claims_per_second",
            "tickets_servers2.synced.server2.p99_ms",
            "tickets_servers2.synced.paced_server2.errors",
            "tickets_servers2.synced.errors")) {
      assertTrue(figures.contains(figure), figure + " in " + figures);
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import terrain.server.SyncServer;
import terrain.server.testkit.Http;
import terrain.server.testkit.TestEnv;

/**
 * {@code terrain staff}: the first admin made on the database of a stopped server, then the others
 * over HTTP with that admin's token, as docs/operations.md tells ops staff to do.
 */
class StaffMainTest {
  static final String PASSWORD = "premier administrateur";

  @TempDir Path dir;

  /** What one command printed and returned. */
  record Run(int code, String out, String err) {}

  private static Run staff(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        StaffMain.run(
            new PrintWriter(out),
            new PrintWriter(err),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void firstAdmin_onTheStoppedServersDatabase_thenOthersOverHttpWithItsToken() throws Exception {
    String data = dir.toString();
    Run added =
        staff(
            PASSWORD + "\n",
            "add",
            "claire",
            "--role",
            "admin",
            "--password-stdin",
            "--data",
            data);
    Run token = staff("", "token", "claire", "--label", "ops laptop", "--data", data);
    assertEquals(0, added.code(), added.err());
    assertTrue(added.out().contains("Account claire (admin) created."), added.out());
    assertEquals(0, token.code(), token.err());
    String claire = token.out().strip();
    assertTrue(claire.startsWith("trn_"), claire);
    assertEquals(
        1,
        staff(
                PASSWORD + "\n",
                "add",
                "claire",
                "--role",
                "admin",
                "--password-stdin",
                "--data",
                data)
            .code(),
        "the name is taken");

    try (SyncServer server =
        SyncServer.start(
            TestEnv.config(dir, null, null, List.of()),
            Clock.systemUTC(),
            RandomGenerator.getDefault())) {
      Http http = new Http(server.baseUrl());
      String url = server.baseUrl();
      JsonNode me =
          http.send("GET", "/api/staff/me", null, "Authorization", "Bearer " + claire).json();
      assertEquals("admin", me.path("role").asText());

      Run remote =
          staff(
              "mot de passe de karim\n",
              "add",
              "karim",
              "--role",
              "moderator",
              "--password-stdin",
              "--server",
              url,
              "--token",
              claire);
      Run karimToken = staff("", "token", "karim", "--server", url, "--token", claire);
      Run disabled = staff("", "disable", "karim", "--server", url, "--token", claire);
      Run list = staff("", "list", "--server", url, "--token", claire);
      Run refused = staff("", "list", "--server", url, "--token", "trn_00000000_wrong");

      assertEquals(0, remote.code(), remote.err());
      assertEquals(0, karimToken.code(), karimToken.err());
      assertEquals(0, disabled.code(), disabled.err());
      assertEquals(
          401,
          http.send(
                  "GET",
                  "/api/staff/me",
                  null,
                  "Authorization",
                  "Bearer " + karimToken.out().strip())
              .status(),
          "a disabled account's token is refused");
      assertTrue(list.out().matches("(?s).*claire +admin +active +1 token\\n.*"), list.out());
      assertTrue(list.out().matches("(?s).*karim +moderator +disabled +1 token\\n.*"), list.out());
      assertEquals(1, refused.code());
      assertTrue(refused.err().contains("(401)"), refused.err());
      JsonNode audit =
          http.send(
                  "GET",
                  "/api/admin/audit?action=staff.",
                  null,
                  "Authorization",
                  "Bearer " + claire)
              .json()
              .path("entries");
      String entries = audit.toString();
      assertTrue(entries.contains("\"actor\":\"cli:"), "made on the database: " + entries);
      assertTrue(entries.contains("\"via\":\"cli\""), entries);
      assertTrue(entries.contains("\"action\":\"staff.disable\",\"target\":\"karim\""), entries);
    }
  }

  @Test
  void usage_whenWrong_saysWhatToPassWithExitCode2() {
    Run nowhere = staff("", "list");
    Run role =
        staff(
            PASSWORD + "\n",
            "add",
            "zoe",
            "--role",
            "boss",
            "--password-stdin",
            "--data",
            dir.toString());
    Run weak =
        staff(
            "short\n",
            "add",
            "zoe",
            "--role",
            "analyst",
            "--password-stdin",
            "--data",
            dir.toString());
    Run name = staff("", "token", "Zoé!", "--data", dir.toString());

    assertEquals(2, nowhere.code());
    assertEquals(2, role.code());
    assertTrue(role.err().contains("moderator, analyst or admin"), role.err());
    assertEquals(2, weak.code());
    assertTrue(weak.err().contains("12 characters"), weak.err());
    assertEquals(2, name.code());
    assertTrue(name.err().contains("a-z 0-9"), name.err());
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code provision preflight} against a fake hub answering GET /api/preflight. */
class PreflightTest {

  static final String GREEN =
      "{\"id\":\"kiosk-3f9a1c\",\"name\":\"Borne 1\",\"kind\":\"kiosk\",\"bundleSequence\":7,"
          + "\"bundleSha256\":\"9f86d081884c7d65\",\"clockSkewSeconds\":1,\"printer\":\"ready\","
          + "\"lastContact\":\"2026-11-27T16:59:48Z\",\"pending\":0,\"diskFreeBytes\":12300000000,"
          + "\"battery\":87,\"ok\":true,\"problems\":[]}";
  static final String RED =
      "{\"id\":\"kiosk-77aa00\",\"name\":\"Borne"
          + " 2\",\"kind\":\"kiosk\",\"bundleSequence\":6,\"bundleSha256\":\"1234567890abcdef\",\"clockSkewSeconds\":-95,\"printer\":\"paper"
          + " out\","
          + "\"lastContact\":\"2026-11-27T16:20:00Z\",\"pending\":12,\"diskFreeBytes\":800000000,\"battery\":null,\"ok\":false,\"problems\":[\"clock"
          + " 95 s behind the hub\",\"printer: paper out\"]}";

  FakeHttp hub;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHttp();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void preflight_allGreen_tableExit0() {
    hub.on(
        "GET /api/preflight",
        200,
        "{\"hub\":{\"id\":\"hub-a1b2c3\",\"bundleSequence\":7},\"devices\":[" + GREEN + "]}");
    Cli.Result r = Cli.run("preflight", "--hub", hub.url());
    assertEquals(0, r.code(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals("Hub " + hub.url() + ": id hub-a1b2c3, bundleSequence 7", lines.get(0));
    assertTrue(lines.get(1).startsWith("    ID  "), r.toString());
    assertTrue(
        lines
            .get(2)
            .matches(
                "OK +kiosk-3f9a1c +Borne 1 +kiosk +#7 9f86d081 +\\+1 s +ready +12 s ago +0 +12\\.3"
                    + " GB +87 % +-"),
        r.toString());
    assertEquals(Cli.EN.get("preflight.allReady", 1), lines.get(3));
    assertEquals("all 1 device is ready", lines.get(3));
    assertFalse(r.out().contains("\u001b["), "no ANSI when not a terminal");
    assertNull(hub.only().authorization());
  }

  @Test
  void preflight_oneRed_exit1_problemsOnItsLine() {
    hub.on(
        "GET /api/preflight",
        200,
        "{\"hub\":{\"id\":\"hub-a1b2c3\"},\"devices\":[" + GREEN + "," + RED + "]}");
    Cli.Result r = Cli.run("preflight", "--hub", hub.url());
    assertEquals(1, r.code(), r.toString());
    String red = r.out().lines().filter(l -> l.contains("kiosk-77aa00")).findFirst().orElseThrow();
    assertTrue(red.startsWith("FAIL"), red);
    assertTrue(red.contains("-95 s"), red);
    assertTrue(red.contains("40 min ago"), red);
    assertTrue(red.endsWith("clock 95 s behind the hub; printer: paper out"), red);
    assertTrue(r.err().contains(Cli.EN.get("preflight.red", 1, "kiosk-77aa00")), r.toString());
  }

  @Test
  void preflight_ansi_greenAndRedLines() {
    hub.on("GET /api/preflight", 200, "{\"hub\":{},\"devices\":[" + GREEN + "," + RED + "]}");
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        ProvisionMain.run(
            new ProvisionMain.Context(
                Cli.ENGLISH,
                java.time.Clock.fixed(Cli.NOW, java.time.ZoneOffset.UTC),
                java.time.ZoneId.of("UTC"),
                true),
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(err),
            "preflight",
            "--hub",
            hub.url());
    assertEquals(1, code);
    assertTrue(out.toString().contains(Table.GREEN + "OK "), out.toString());
    assertTrue(out.toString().contains(Table.RED + Cli.EN.get("preflight.fail")), out.toString());
  }

  @Test
  void preflight_json_printsTheHubsAnswer_exit1IfRed() throws IOException {
    String body = "{\"hub\":{\"id\":\"hub-a1b2c3\"},\"devices\":[" + RED + "]}";
    hub.on("GET /api/preflight", 200, body);
    Cli.Result r = Cli.run("preflight", "--hub", hub.url(), "--json");
    assertEquals(1, r.code(), r.toString());
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.readTree(body), json.readTree(r.out()));
  }

  @Test
  void preflight_hubDown_clearMessage_exit1() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Cli.Result r = Cli.run("preflight", "--hub", "http://127.0.0.1:" + port);
    assertEquals(1, r.code(), r.toString());
    assertEquals(
        Cli.EN.get(
            "http.connectRefused",
            Cli.EN.get("peer.hub"),
            "http://127.0.0.1:" + port,
            Cli.EN.get("preflight.startHint")),
        r.err().strip(),
        r.toString());
    assertTrue(r.err().contains("check --hub"), r.toString());
  }

  @Test
  void preflight_notAHub_malformed_exit1() {
    hub.on("GET /api/preflight", 200, "{\"status\":\"ok\"}");
    Cli.Result r = Cli.run("preflight", "--hub", hub.url());
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains(Cli.EN.get("peer.hub.product")), r.toString());
  }
}

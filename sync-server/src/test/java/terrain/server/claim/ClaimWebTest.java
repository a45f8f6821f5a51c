// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.record.DeviceId;
import terrain.core.ticket.SignedTicket;
import terrain.server.SyncServer;
import terrain.server.testkit.Http;
import terrain.server.testkit.TestEnv;
import terrain.server.testkit.Tickets;

/** The citizen's ticket and wallet pages over real HTTP, as a browser without JavaScript. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimWebTest {
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @TempDir static Path dir;
  SyncServer server;
  Http http;
  Tickets kiosk;

  @BeforeAll
  void start() throws Exception {
    server =
        SyncServer.start(
            TestEnv.claimConfig(dir, null, null, 1000),
            Clock.systemUTC(),
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
    kiosk = new Tickets(DeviceId.of("kiosk-web"), 3);
    server.devices().register(kiosk.device(), kiosk.keys().publicKeyRaw(), 0);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void ticketPage_thenPostWithCsrf_claimsIntoNewCookieWalletOnce() throws Exception {
    SignedTicket ticket = kiosk.issue("fete-quartier", 4);

    HttpResponse<String> page = http.raw("GET", "/T/" + ticket.code().toLowerCase(), null);

    assertEquals(200, page.statusCode(), page.body());
    assertTrue(page.body().contains("4 briqs"), page.body());
    assertTrue(page.body().contains("fete-quartier"));
    String csrfCookie = cookie(page, ClaimWeb.CSRF_COOKIE);
    Matcher csrf = CSRF.matcher(page.body());
    assertTrue(csrf.find(), page.body());
    assertEquals(csrfCookie, csrf.group(1));

    HttpResponse<String> claimed =
        http.raw(
            "POST",
            "/T/" + ticket.code(),
            "csrf=" + csrf.group(1),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            ClaimWeb.CSRF_COOKIE + "=" + csrfCookie);

    assertEquals(201, claimed.statusCode(), claimed.body());
    String walletHeader =
        claimed.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(ClaimWeb.WALLET_COOKIE + "="))
            .findFirst()
            .orElseThrow();
    assertTrue(walletHeader.contains("HttpOnly") && walletHeader.contains("SameSite=Lax"));
    assertTrue(claimed.body().matches("(?s).*[A-Z2-9]{4}-[A-Z2-9]{4}-.*"), "recovery code shown");
    String wallet = cookie(claimed, ClaimWeb.WALLET_COOKIE);
    String cookies =
        ClaimWeb.CSRF_COOKIE + "=" + csrfCookie + "; " + ClaimWeb.WALLET_COOKIE + "=" + wallet;

    HttpResponse<String> again =
        http.raw(
            "POST",
            "/T/" + ticket.code(),
            "csrf=" + csrf.group(1),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            cookies);
    HttpResponse<String> walletPage = http.raw("GET", "/wallet?lang=en", null, "Cookie", cookies);

    assertEquals(409, again.statusCode());
    assertEquals(200, walletPage.statusCode());
    assertTrue(walletPage.body().contains("Balance: 4 briqs"), walletPage.body());
  }

  @Test
  void post_withoutCsrfToken_isRefused403AndCreditsNothing() throws Exception {
    SignedTicket ticket = kiosk.issue("fete-quartier", 2);

    HttpResponse<String> reply = http.raw("POST", "/T/" + ticket.code(), "csrf=forged");

    assertEquals(403, reply.statusCode());
    assertTrue(
        reply.headers().allValues("Set-Cookie").stream()
            .noneMatch(c -> c.startsWith(ClaimWeb.WALLET_COOKIE)));
  }

  @Test
  void ticketPage_whenCodeHoldsHtml_escapesItAndSays422() throws Exception {
    Http.Reply reply = http.get("/T/%3Cscript%3Ealert(1)%3C%2Fscript%3E");

    assertEquals(422, reply.status());
    assertFalse(reply.body().contains("<script>"), reply.body());
  }

  @Test
  void enterPage_whenCodeGiven_redirectsToTicketPage() throws Exception {
    HttpResponse<String> form = http.raw("GET", "/claim", null);
    HttpResponse<String> redirect = http.raw("GET", "/claim?code=abcd-efgh-ijkl", null);

    assertEquals(200, form.statusCode());
    assertTrue(form.body().contains("name=\"code\""));
    assertEquals(303, redirect.statusCode());
    assertEquals("/T/abcd-efgh-ijkl", redirect.headers().firstValue("Location").orElse(""));
  }

  private static String cookie(HttpResponse<String> response, String name) {
    List<String> headers = response.headers().allValues("Set-Cookie");
    for (String header : headers) {
      if (header.startsWith(name + "=")) {
        return header.substring(name.length() + 1, header.indexOf(';'));
      }
    }
    throw new AssertionError("no cookie " + name + " in " + headers);
  }
}

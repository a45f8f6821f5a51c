// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static terrain.testkit.TextAssertions.assertContainsAll;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import terrain.core.id.PartnerId;
import terrain.core.record.DeviceId;
import terrain.core.ticket.SignedTicket;
import terrain.server.SyncServer;
import terrain.server.ledger.Ledger;
import terrain.server.partner.Partner;
import terrain.server.testkit.Http;
import terrain.server.testkit.TestEnv;
import terrain.server.testkit.Tickets;
import terrain.testkit.MutableClock;

/**
 * Partner spending, the wallet page (QR code decoded back, expiries), e-mail and recovery, over
 * real HTTP on a real server with Derby, as a phone browser without JavaScript.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnerWebTest {
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  static final Pattern REQUEST = Pattern.compile("name=\"request\" value=\"([0-9a-f]+)\"");
  static final Pattern SQUARE = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z");
  static final String KEY = "48213377";
  static final String EVENT = "marche-2026-11-28";

  @TempDir static Path dir;
  SyncServer server;
  Http http;
  Tickets kiosk;
  MutableClock clock = new MutableClock(Instant.now());

  @BeforeAll
  void start() throws Exception {
    server =
        SyncServer.start(
            TestEnv.partnerConfig(
                dir,
                null,
                List.of(
                    Partner.parse("piscine:" + KEY + ":Piscine <municipale>"),
                    Partner.parse("theatre:theatre-key-123"))),
            clock,
            RandomGenerator.getDefault());
    http = new Http(server.baseUrl());
    kiosk = new Tickets(DeviceId.of("kiosk-partner"), 5);
    server.devices().register(kiosk.device(), kiosk.keys().publicKeyRaw(), 0);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * A phone with a wallet holding {@code briqs}: its token. Tickets give at most 7 briqs at the
   * test events, so more takes several tickets.
   */
  private String walletWith(int briqs) throws Exception {
    String token = http.send("POST", "/api/wallets", null).json().path("token").asText();
    for (int left = briqs; left > 0; left -= Math.min(7, left)) {
      SignedTicket ticket = kiosk.issue(EVENT, Math.min(7, left), clock.instant(), 180);
      Http.Reply claimed =
          http.send(
              "POST",
              "/api/claims",
              "{\"code\":\"" + ticket.code() + "\"}",
              "Authorization",
              "Bearer " + token);
      assertEquals(201, claimed.status(), claimed.body());
    }
    return token;
  }

  @Test
  void walletPage_showsQrCodeThatOpensPartnerPagePrefilled() throws Exception {
    String token = walletWith(6);

    HttpResponse<String> wallet = http.raw("GET", "/wallet", null, "Cookie", walletCookie(token));

    assertEquals(200, wallet.statusCode(), wallet.body());
    String url = decodeQr(wallet.body());
    String code = terrain.server.wallet.Wallets.spendCode(token);
    assertEquals(server.baseUrl() + "/partner?spend=" + code, url);
    assertTrue(wallet.body().contains(code));
    HttpResponse<String> partnerPage =
        http.raw("GET", url.substring(server.baseUrl().length()), null);
    assertEquals(200, partnerPage.statusCode());
    assertTrue(partnerPage.body().contains("name=\"spend\" value=\"" + code + "\""));
    assertTrue(partnerPage.body().contains("type=\"password\""), "sign-in first");
  }

  @Test
  void spend_signedInReviewConfirm_debitsOnceAndRecordsTransferToPartner() throws Exception {
    String token = walletWith(10);
    String code = terrain.server.wallet.Wallets.spendCode(token);
    Cashier cashier = signIn("piscine", KEY);

    HttpResponse<String> review = cashier.post("/partner/review", "spend", code, "amount", "4");

    assertEquals(200, review.statusCode(), review.body());
    assertTrue(review.body().contains("4 briqs"), review.body());
    assertTrue(review.body().contains("Piscine &lt;municipale&gt;"), "name escaped");
    Matcher request = REQUEST.matcher(review.body());
    assertTrue(request.find(), review.body());
    long walletBefore = balance(token);
    assertEquals(10, walletBefore, "nothing taken before the confirm step");

    HttpResponse<String> done =
        cashier.post("/partner/confirm", "spend", code, "amount", "4", "request", request.group(1));
    HttpResponse<String> again =
        cashier.post("/partner/confirm", "spend", code, "amount", "4", "request", request.group(1));

    assertEquals(201, done.statusCode(), done.body());
    assertTrue(done.body().contains("6 briqs"), done.body());
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(6, balance(token));
    List<Ledger.Entry> partner =
        server.ledger().entries(Ledger.partnerAccount(PartnerId.of("piscine")), 100);
    assertEquals(Ledger.Reason.SPEND, partner.get(0).reason());
    assertEquals(4, partner.get(0).amount());
    assertTrue(server.ledger().audit().ok(), server.ledger().audit().toString());
  }

  @Test
  void review_whenAmountExceedsBalance_refusesWithBalanceAndKeepsForm() throws Exception {
    String token = walletWith(3);
    Cashier cashier = signIn("theatre", "theatre-key-123");
    String scannedUrl =
        server.baseUrl() + "/partner?spend=" + terrain.server.wallet.Wallets.spendCode(token);

    HttpResponse<String> review =
        cashier.post("/partner/review?lang=en", "spend", scannedUrl, "amount", "5");

    assertEquals(422, review.statusCode(), review.body());
    assertTrue(review.body().contains("holds only 3 briqs"), review.body());
    assertTrue(review.body().contains("name=\"amount\""), "the form again");
    assertEquals(3, balance(token));
  }

  @Test
  void login_withWrongKey_is401AndSetsNoSession() throws Exception {
    HttpResponse<String> page = http.raw("GET", "/partner", null);
    String csrf = csrf(page);

    HttpResponse<String> refused =
        http.raw(
            "POST",
            "/partner/login",
            "csrf=" + csrf + "&partner=piscine&key=00000000",
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            ClaimWeb.CSRF_COOKIE + "=" + csrf);

    assertEquals(401, refused.statusCode());
    assertTrue(
        refused.headers().allValues("Set-Cookie").stream()
            .noneMatch(c -> c.startsWith(PartnerWeb.SESSION_COOKIE)));
  }

  @Test
  void review_withoutSessionOrCsrf_takesNothing() throws Exception {
    String token = walletWith(5);
    String code = terrain.server.wallet.Wallets.spendCode(token);
    Cashier cashier = signIn("piscine", KEY);

    HttpResponse<String> noCsrf =
        http.raw(
            "POST",
            "/partner/confirm",
            "spend=" + code + "&amount=2&request=" + "a".repeat(32),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            PartnerWeb.SESSION_COOKIE + "=" + cashier.session);
    HttpResponse<String> noSession =
        http.raw(
            "POST",
            "/partner/confirm",
            "csrf=" + cashier.csrf + "&spend=" + code + "&amount=2&request=" + "b".repeat(32),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            ClaimWeb.CSRF_COOKIE + "=" + cashier.csrf);

    assertEquals(403, noCsrf.statusCode());
    assertEquals(303, noSession.statusCode());
    assertEquals(5, balance(token));
  }

  @Test
  void apiSpend_withPartnerKey_debitsAndRefusesOverdraft() throws Exception {
    String token = walletWith(7);
    String code = terrain.server.wallet.Wallets.spendCode(token);
    String[] auth = {"Authorization", "Bearer piscine:" + KEY};

    Http.Reply spent =
        http.send(
            "POST",
            "/api/spend",
            "{\"spendCode\":\"" + code + "\",\"amount\":5,\"requestId\":\"till-0001\"}",
            auth);
    Http.Reply repeated =
        http.send(
            "POST",
            "/api/spend",
            "{\"spendCode\":\"" + code + "\",\"amount\":5,\"requestId\":\"till-0001\"}",
            auth);
    Http.Reply overdraft =
        http.send(
            "POST",
            "/api/spend",
            "{\"spendCode\":\"" + code + "\",\"amount\":3,\"requestId\":\"till-0002\"}",
            auth);
    Http.Reply wrongKey =
        http.send(
            "POST",
            "/api/spend",
            "{\"spendCode\":\"" + code + "\",\"amount\":1,\"requestId\":\"till-0003\"}",
            "Authorization",
            "Bearer piscine:wrong-key");

    assertEquals(201, spent.status(), spent.body());
    assertEquals(2, spent.json().path("balance").asLong());
    assertEquals(200, repeated.status(), repeated.body());
    assertEquals(422, overdraft.status());
    assertEquals("INSUFFICIENT_BALANCE", overdraft.json().path("reason").asText());
    assertEquals(2, overdraft.json().path("balance").asLong());
    assertEquals(401, wrongKey.status());
    assertEquals(2, balance(token));
  }

  @Test
  void apiSpend_retriedWithSameRequestId_debitsOnceAndAnswersFirstResult() throws Exception {
    String token = walletWith(9);
    String body =
        "{\"spendCode\":\""
            + terrain.server.wallet.Wallets.spendCode(token)
            + "\",\"amount\":4,\"requestId\":\"0b6f3c1e-4a7d-4f7e-9c1a-2d5e8f9a0b1c\"}";

    Http.Reply first = http.send("POST", "/api/spend", body, PISCINE_AUTH);
    Http.Reply retry = http.send("POST", "/api/spend", body, PISCINE_AUTH);
    Http.Reply again = http.send("POST", "/api/spend", body, PISCINE_AUTH);

    assertEquals(201, first.status(), first.body());
    assertEquals(200, retry.status(), retry.body());
    assertEquals(200, again.status(), again.body());
    for (Http.Reply reply : List.of(first, retry, again)) {
      assertEquals(4, reply.json().path("amount").asLong(), reply.body());
      assertEquals(5, reply.json().path("balance").asLong(), reply.body());
      assertEquals("piscine", reply.json().path("partner").asText(), reply.body());
    }
    assertTrue(retry.json().path("repeated").asBoolean());
    assertEquals(5, balance(token));
    assertTrue(server.ledger().audit().ok(), server.ledger().audit().toString());
  }

  @Test
  void apiSpend_sameRequestIdWithAnotherAmountOrCode_is409AndDebitsNothing() throws Exception {
    String token = walletWith(9);
    String other = walletWith(9);
    String code = terrain.server.wallet.Wallets.spendCode(token);
    String otherCode = terrain.server.wallet.Wallets.spendCode(other);

    Http.Reply first = spend(code, 3, "till.reused-1", PISCINE_AUTH);
    Http.Reply otherAmount = spend(code, 4, "till.reused-1", PISCINE_AUTH);
    Http.Reply otherWallet = spend(otherCode, 3, "till.reused-1", PISCINE_AUTH);

    assertEquals(201, first.status(), first.body());
    for (Http.Reply refused : List.of(otherAmount, otherWallet)) {
      assertEquals(409, refused.status(), refused.body());
      assertEquals("REQUEST_ID_REUSED", refused.json().path("reason").asText());
      assertContainsAll(refused.json().path("error").asText(), "till.reused-1", "new requestId");
    }
    assertEquals(6, balance(token));
    assertEquals(9, balance(other));
  }

  @Test
  void apiSpend_twoPartnersWithSameRequestId_debitTwiceIndependently() throws Exception {
    String token = walletWith(9);
    String code = terrain.server.wallet.Wallets.spendCode(token);
    long piscineBefore = server.ledger().balance(Ledger.partnerAccount(PartnerId.of("piscine")));
    long theatreBefore = server.ledger().balance(Ledger.partnerAccount(PartnerId.of("theatre")));

    Http.Reply piscine = spend(code, 2, "ticket-00000001", PISCINE_AUTH);
    Http.Reply theatre = spend(code, 3, "ticket-00000001", THEATRE_AUTH);
    Http.Reply theatreRetry = spend(code, 3, "ticket-00000001", THEATRE_AUTH);

    assertEquals(201, piscine.status(), piscine.body());
    assertEquals(201, theatre.status(), theatre.body());
    assertEquals("theatre", theatre.json().path("partner").asText());
    assertEquals(4, theatre.json().path("balance").asLong());
    assertEquals(200, theatreRetry.status(), theatreRetry.body());
    assertEquals(4, balance(token));
    assertEquals(
        piscineBefore + 2, server.ledger().balance(Ledger.partnerAccount(PartnerId.of("piscine"))));
    assertEquals(
        theatreBefore + 3, server.ledger().balance(Ledger.partnerAccount(PartnerId.of("theatre"))));
  }

  @Test
  void apiSpend_withoutOrWithMalformedRequestId_is400SayingWhatItMustBe() throws Exception {
    String token = walletWith(5);
    String code = terrain.server.wallet.Wallets.spendCode(token);
    String start = "{\"spendCode\":\"" + code + "\",\"amount\":1";

    for (String body :
        List.of(
            start + "}",
            start + ",\"requestId\":null}",
            start + ",\"requestId\":12345678}",
            start + ",\"requestId\":\"short\"}",
            start + ",\"requestId\":\"" + "a".repeat(65) + "\"}",
            start + ",\"requestId\":\"till 0001\"}",
            start + ",\"requestId\":\"till/0001\"}")) {
      Http.Reply refused = http.send("POST", "/api/spend", body, PISCINE_AUTH);

      assertEquals(400, refused.status(), body + " -> " + refused.body());
      assertEquals("REQUEST_ID_REQUIRED", refused.json().path("reason").asText());
      assertContainsAll(
          refused.json().path("error").asText(), "requestId", "8 to 64", "[A-Za-z0-9._-]", "UUID");
    }
    assertEquals(5, balance(token));
  }

  @Test
  void cashierConfirm_doubleSubmittedAtOnce_debitsOnce_andTamperedAmountIs409() throws Exception {
    String token = walletWith(10);
    String code = terrain.server.wallet.Wallets.spendCode(token);
    Cashier cashier = signIn("theatre", "theatre-key-123");
    HttpResponse<String> review = cashier.post("/partner/review", "spend", code, "amount", "3");
    HttpResponse<String> secondReview =
        cashier.post("/partner/review", "spend", code, "amount", "3");
    Matcher request = REQUEST.matcher(review.body());
    assertTrue(request.find(), review.body());
    String id = request.group(1);
    Matcher second = REQUEST.matcher(secondReview.body());
    assertTrue(second.find(), secondReview.body());
    assertFalse(id.equals(second.group(1)), "each confirm page has its own request id");

    java.util.concurrent.ExecutorService taps =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    List<java.util.concurrent.Future<HttpResponse<String>>> sent;
    try {
      java.util.concurrent.Callable<HttpResponse<String>> tap =
          () -> cashier.post("/partner/confirm", "spend", code, "amount", "3", "request", id);
      sent = taps.invokeAll(List.of(tap, tap));
    } finally {
      taps.shutdown();
    }
    HttpResponse<String> tampered =
        cashier.post("/partner/confirm?lang=en", "spend", code, "amount", "7", "request", id);
    HttpResponse<String> noRequest =
        cashier.post("/partner/confirm?lang=en", "spend", code, "amount", "3");

    List<Integer> statuses = new java.util.ArrayList<>();
    for (java.util.concurrent.Future<HttpResponse<String>> reply : sent) {
      statuses.add(reply.get().statusCode());
    }
    statuses.sort(null);
    assertEquals(List.of(200, 201), statuses, "one debit, one 'already recorded'");
    assertEquals(409, tampered.statusCode(), tampered.body());
    assertTrue(tampered.body().contains("already used for another amount"), tampered.body());
    assertEquals(400, noRequest.statusCode(), noRequest.body());
    assertTrue(noRequest.body().contains("Start again from the form"), noRequest.body());
    assertEquals(7, balance(token));
    assertTrue(server.ledger().audit().ok(), server.ledger().audit().toString());
  }

  private static final String[] PISCINE_AUTH = {"Authorization", "Bearer piscine:" + KEY};
  private static final String[] THEATRE_AUTH = {"Authorization", "Bearer theatre:theatre-key-123"};

  private Http.Reply spend(String code, int amount, String requestId, String... auth)
      throws Exception {
    return http.send(
        "POST",
        "/api/spend",
        "{\"spendCode\":\""
            + code
            + "\",\"amount\":"
            + amount
            + ",\"requestId\":\""
            + requestId
            + "\"}",
        auth);
  }

  @Test
  void walletPage_showsWhatExpiresWhen_andSweepReturnsExpiredToPool() throws Exception {
    String token = http.send("POST", "/api/wallets", null).json().path("token").asText();
    for (int days : new int[] {10, 10, 200}) {
      Http.Reply reply =
          http.send(
              "POST",
              "/api/claims",
              "{\"code\":\"" + kiosk.issue(EVENT, 2, clock.instant(), days).code() + "\"}",
              "Authorization",
              "Bearer " + token);
      assertEquals(201, reply.status(), reply.body());
    }

    HttpResponse<String> before =
        http.raw("GET", "/wallet?lang=en", null, "Cookie", walletCookie(token));
    clock.advance(Duration.ofDays(11));
    long returned = server.ledger().expire();
    long again = server.ledger().expire();
    HttpResponse<String> after =
        http.raw("GET", "/wallet?lang=en", null, "Cookie", walletCookie(token));

    assertContainsAll(before.body(), "4 briqs before", "2 briqs before");
    assertTrue(returned >= 4, "returned " + returned);
    assertEquals(0, again);
    assertEquals(2, balance(token));
    assertFalse(after.body().contains("4 briqs before"), after.body());
    assertTrue(after.body().contains("Expired"), after.body());
    assertTrue(server.ledger().audit().ok());
  }

  @Test
  void email_whenInvalidRefused_whenValidShownEscaped_thenRemoved() throws Exception {
    String token = walletWith(1);
    HttpResponse<String> wallet = http.raw("GET", "/wallet", null, "Cookie", walletCookie(token));
    String csrf = csrf(wallet);
    String cookies = walletCookie(token) + "; " + ClaimWeb.CSRF_COOKIE + "=" + csrf;

    HttpResponse<String> invalid =
        form("/wallet/email?lang=en", cookies, "csrf", csrf, "email", "<b>not-an-address");
    HttpResponse<String> saved =
        form("/wallet/email", cookies, "csrf", csrf, "email", " Ana.O'Neil@Example.FR ");
    HttpResponse<String> shown = http.raw("GET", "/wallet", null, "Cookie", cookies);
    HttpResponse<String> removed = form("/wallet/email", cookies, "csrf", csrf, "remove", "1");
    HttpResponse<String> gone = http.raw("GET", "/wallet", null, "Cookie", cookies);

    assertEquals(422, invalid.statusCode());
    assertTrue(invalid.body().contains("&lt;b&gt;not-an-address"), invalid.body());
    assertEquals(303, saved.statusCode(), saved.body());
    assertTrue(shown.body().contains("Ana.O'Neil@example.fr"), shown.body());
    assertTrue(shown.body().contains("Aucun e-mail"), "says honestly that no mail is sent");
    assertEquals(303, removed.statusCode());
    assertFalse(gone.body().contains("example.fr"));
  }

  @Test
  void recover_withRecoveryCode_opensWalletHereAndOldTokenStops() throws Exception {
    JsonNode created = http.send("POST", "/api/wallets", null).json();
    String oldToken = created.path("token").asText();
    http.send(
        "POST",
        "/api/claims",
        "{\"code\":\"" + kiosk.issue(EVENT, 3, clock.instant(), 180).code() + "\"}",
        "Authorization",
        "Bearer " + oldToken);
    HttpResponse<String> form = http.raw("GET", "/wallet/recover", null);
    String csrf = csrf(form);
    String cookies = ClaimWeb.CSRF_COOKIE + "=" + csrf;

    HttpResponse<String> wrong = form("/wallet/recover", cookies, "csrf", csrf, "code", "AAAA");
    HttpResponse<String> reopened =
        form(
            "/wallet/recover",
            cookies,
            "csrf",
            csrf,
            "code",
            created.path("recoveryCode").asText().toLowerCase().replace("-", " "));

    assertEquals(404, wrong.statusCode());
    assertEquals(303, reopened.statusCode(), reopened.body());
    String newToken = cookie(reopened, ClaimWeb.WALLET_COOKIE);
    assertEquals(3, balance(newToken));
    assertEquals(
        401,
        http.send("GET", "/api/wallets/me", null, "Authorization", "Bearer " + oldToken).status());
  }

  @Test
  void ticketPage_linksToResultsPageOfItsEvent() throws Exception {
    HttpResponse<String> page =
        http.raw("GET", "/T/" + kiosk.issue(EVENT, 1, clock.instant(), 180).code(), null);

    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("href=\"/events/" + EVENT + "\""), page.body());
    // The server knows the event, and no response of it has reached the server yet.
    HttpResponse<String> results = http.raw("GET", "/events/" + EVENT, null);
    assertTrue(results.body().contains("0 participation"), results.body());
  }

  /** A signed-in cashier's cookies. */
  private record Cashier(Http http, String csrf, String session) {
    HttpResponse<String> post(String path, String... fields) throws Exception {
      StringBuilder body = new StringBuilder("csrf=").append(csrf);
      for (int i = 0; i + 1 < fields.length; i += 2) {
        body.append('&')
            .append(fields[i])
            .append('=')
            .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
      }
      return http.raw(
          "POST",
          path,
          body.toString(),
          "Content-Type",
          "application/x-www-form-urlencoded",
          "Cookie",
          ClaimWeb.CSRF_COOKIE + "=" + csrf + "; " + PartnerWeb.SESSION_COOKIE + "=" + session);
    }
  }

  private Cashier signIn(String partner, String key) throws Exception {
    HttpResponse<String> page = http.raw("GET", "/partner", null);
    String csrf = csrf(page);
    HttpResponse<String> login =
        http.raw(
            "POST",
            "/partner/login",
            "csrf=" + csrf + "&partner=" + partner + "&key=" + key,
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            ClaimWeb.CSRF_COOKIE + "=" + csrf);
    assertEquals(303, login.statusCode(), login.body());
    return new Cashier(http, csrf, cookie(login, PartnerWeb.SESSION_COOKIE));
  }

  private HttpResponse<String> form(String path, String cookies, String... fields)
      throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i + 1 < fields.length; i += 2) {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(fields[i])
          .append('=')
          .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
    }
    return http.raw(
        "POST",
        path,
        body.toString(),
        "Content-Type",
        "application/x-www-form-urlencoded",
        "Cookie",
        cookies);
  }

  private long balance(String token) throws Exception {
    return http.send("GET", "/api/wallets/me", null, "Authorization", "Bearer " + token)
        .json()
        .path("balance")
        .asLong();
  }

  private static String walletCookie(String token) {
    return ClaimWeb.WALLET_COOKIE + "=" + token;
  }

  private static String csrf(HttpResponse<String> page) {
    Matcher csrf = CSRF.matcher(page.body());
    assertTrue(csrf.find(), page.body());
    return csrf.group(1);
  }

  private static String cookie(HttpResponse<String> response, String name) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      if (header.startsWith(name + "=")) {
        return header.substring(name.length() + 1, header.indexOf(';'));
      }
    }
    throw new AssertionError("no cookie " + name + " in " + response.headers());
  }

  /**
   * Draws the page's inline SVG QR code into pixels and decodes it with ZXing, at several sizes as
   * a phone's camera tries frame after frame: ZXing's single-QR reader misses about one clean image
   * in a hundred at a given size.
   */
  private static String decodeQr(String html) throws Exception {
    Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(html);
    assertTrue(box.find(), "an SVG QR code in the page");
    int size = Integer.parseInt(box.group(1));
    com.google.zxing.ReaderException missed = null;
    for (int scale : new int[] {4, 3, 5, 7}) {
      int[] pixels = new int[size * scale * size * scale];
      java.util.Arrays.fill(pixels, 0xFFFFFFFF);
      Matcher square = SQUARE.matcher(html);
      while (square.find()) {
        int x = Integer.parseInt(square.group(1));
        int y = Integer.parseInt(square.group(2));
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            pixels[(y * scale + dy) * size * scale + x * scale + dx] = 0xFF000000;
          }
        }
      }
      var source = new RGBLuminanceSource(size * scale, size * scale, pixels);
      try {
        return new QRCodeReader()
            .decode(
                new BinaryBitmap(new HybridBinarizer(source)),
                java.util.Map.of(com.google.zxing.DecodeHintType.TRY_HARDER, Boolean.TRUE))
            .getText();
      } catch (com.google.zxing.ReaderException notAtThisSize) {
        missed = notAtThisSize;
      }
    }
    throw new AssertionError("the page's QR code reads at no size", missed);
  }
}

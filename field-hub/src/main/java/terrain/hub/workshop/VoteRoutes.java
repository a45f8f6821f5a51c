// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.workshop;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.id.EventId;
import terrain.core.text.PageLanguage;
import terrain.core.workshop.ItemRef;
import terrain.core.workshop.WorkshopAction;
import terrain.http.Responses;
import terrain.http.Routes;
import terrain.store.StoreException;

/**
 * {@code GET /workshop/vote} and {@code POST /workshop/vote} ({@code ?lang=fr|en|ar}, {@code
 * ?event=ID}): a participant's phone on the hub's Wi-Fi places their dots (decision 0034).
 *
 * <p>At the door: the phone's voter token is a random cookie ({@value #COOKIE}, HttpOnly,
 * SameSite=Strict) made on its first visit; a POST must carry the form's token, an HMAC of that
 * voter under a key made at each start, and, when the browser says where it comes from ({@code
 * Origin}, {@code Sec-Fetch-Site}), come from this hub; the form is read by Jetty's {@link
 * FormFields} up to {@value #MAX_FORM} bytes and {@value #MAX_FIELDS} fields; each client address
 * may post {@value #POSTS_PER_MINUTE} ballots a minute. Outside a vote phase, or once it finished,
 * the page says the vote is closed and a POST is refused (409).
 */
public final class VoteRoutes {
  private static final Logger log = LoggerFactory.getLogger(VoteRoutes.class);
  static final String COOKIE = "terrain-voter";
  static final int MAX_FORM = 16 * 1024;
  static final int MAX_FIELDS = 260;
  static final int POSTS_PER_MINUTE = 20;
  private static final String ITEM = "d.";

  private final PhoneVote vote;
  private final SecureRandom random;
  private final byte[] key = new byte[32];
  private final VotePage page = new VotePage();
  private final ClientLimit limit;

  public VoteRoutes(PhoneVote vote, Clock clock, SecureRandom random) {
    this.vote = vote;
    this.random = random;
    random.nextBytes(key);
    this.limit = new ClientLimit(POSTS_PER_MINUTE, 60_000, clock);
  }

  /** Adds both routes. */
  public void register(Routes.Builder routes) {
    routes.get("/workshop/vote", this::show).post("/workshop/vote", this::post);
  }

  private void show(Request request, Response response, Callback callback) throws StoreException {
    PageLanguage language = language(request);
    WorkshopView words = new WorkshopView(language);
    Fields query = Request.extractQueryParameters(request);
    String event = query.getValue("event");
    if (badEvent(event)) {
      Responses.sendText(response, callback, 400, words.text("vote.badEvent"));
      return;
    }
    String voter = voter(request).orElse(null);
    if (voter == null) {
      voter = newVoter();
      setCookie(request, response, voter);
    }
    PhoneVote.Outcome outcome = vote.ballot(event, voter);
    boolean done = "1".equals(query.getValue("done"));
    if (outcome instanceof PhoneVote.Outcome.Open open) {
      html(
          response,
          callback,
          200,
          page.ballot(
              words,
              language,
              eventQuery(event),
              open.ballot(),
              open.ballot().mine(),
              csrf(voter),
              done ? words.text("vote.thanks") : null,
              false));
    } else {
      refusal(request, response, callback, words, language, outcome);
    }
  }

  private void post(Request request, Response response, Callback callback) throws StoreException {
    PageLanguage language = language(request);
    WorkshopView words = new WorkshopView(language);
    Fields query = Request.extractQueryParameters(request);
    String event = query.getValue("event");
    String client = Request.getRemoteAddr(request);
    long wait = limit.acquire(client);
    if (wait > 0) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(wait));
      message(response, callback, 429, words, language, words.text("vote.tooOften", wait));
      return;
    }
    if (badEvent(event)) {
      Responses.sendText(response, callback, 400, words.text("vote.badEvent"));
      return;
    }
    if (!sameOrigin(request)) {
      log.info("Phone vote refused from {}: posted from another site", client);
      message(response, callback, 403, words, language, words.text("vote.expired"));
      return;
    }
    Map<String, String> form;
    try {
      form = form(request);
    } catch (IllegalArgumentException e) {
      message(response, callback, 400, words, language, words.text("vote.badForm"));
      return;
    }
    Optional<String> voter = voter(request);
    if (voter.isEmpty()
        || !MessageDigest.isEqual(
            csrf(voter.get()).getBytes(StandardCharsets.US_ASCII),
            form.getOrDefault("csrf", "").getBytes(StandardCharsets.US_ASCII))) {
      message(response, callback, 403, words, language, words.text("vote.expired"));
      return;
    }
    Map<ItemRef, Integer> wanted = new LinkedHashMap<>();
    for (Map.Entry<String, String> field : form.entrySet()) {
      if (!field.getKey().startsWith(ITEM)) {
        continue;
      }
      ItemRef item;
      int dots;
      try {
        item = ItemRef.parse(field.getKey().substring(ITEM.length()));
        dots = Integer.parseInt(field.getValue());
      } catch (IllegalArgumentException e) {
        message(response, callback, 400, words, language, words.text("vote.badForm"));
        return;
      }
      if (dots < 0 || dots > 20) {
        message(response, callback, 400, words, language, words.text("vote.badForm"));
        return;
      }
      if (dots > 0) {
        wanted.put(item, dots);
      }
    }
    String phase = form.getOrDefault("phase", "");
    PhoneVote.Outcome outcome = vote.vote(event, voter.get(), phase, wanted);
    String eventQuery = eventQuery(event);
    if (outcome instanceof PhoneVote.Outcome.Recorded) {
      // Post, redirect, get: a reload does not send the ballot again.
      response.setStatus(303);
      response
          .getHeaders()
          .put(
              HttpHeader.LOCATION,
              URI.create("/workshop/vote?lang=" + language.tag() + eventQuery + "&done=1")
                  .toString());
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      callback.succeeded();
    } else if (outcome instanceof PhoneVote.Outcome.TooMany tooMany) {
      html(
          response,
          callback,
          422,
          page.ballot(
              words,
              language,
              eventQuery,
              tooMany.ballot(),
              tooMany.wanted(),
              csrf(voter.get()),
              words.text(
                  "vote.tooMany",
                  tooMany.placed(),
                  tooMany.ballot().rules().dots(),
                  tooMany.ballot().rules().capPerItem()),
              true));
    } else if (outcome instanceof PhoneVote.Outcome.Stale stale) {
      html(
          response,
          callback,
          409,
          page.ballot(
              words,
              language,
              eventQuery,
              stale.ballot(),
              stale.ballot().mine(),
              csrf(voter.get()),
              words.text("vote.stale"),
              true));
    } else {
      refusal(request, response, callback, words, language, outcome);
    }
  }

  private void refusal(
      Request request,
      Response response,
      Callback callback,
      WorkshopView words,
      PageLanguage language,
      PhoneVote.Outcome outcome) {
    boolean post = "POST".equals(request.getMethod());
    if (outcome instanceof PhoneVote.Outcome.NoWorkshop) {
      message(response, callback, 404, words, language, words.text("none"));
    } else if (outcome instanceof PhoneVote.Outcome.Closed closed) {
      String now =
          closed
              .phase()
              .map(p -> words.text("vote.closedDuring", words.text("phase." + p.kind().word())))
              .orElse(words.text("phase.none"));
      message(
          response,
          callback,
          post ? 409 : 200,
          words,
          language,
          words.text("vote.closed") + " " + now);
    } else {
      message(response, callback, 500, words, language, words.text("vote.badForm"));
    }
  }

  private void message(
      Response response,
      Callback callback,
      int status,
      WorkshopView words,
      PageLanguage language,
      String text) {
    html(
        response,
        callback,
        status,
        page.message(
            words, language, words.text("vote.heading"), text, status < 300 ? "ok" : "bad"));
  }

  private static void html(Response response, Callback callback, int status, String html) {
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    Responses.sendHtml(response, callback, status, html, VotePage.POLICY);
  }

  /**
   * The form's fields, bounded; the first value of a name wins.
   *
   * @throws IllegalArgumentException when the body cannot be read, is too large or has too many
   *     fields
   */
  private static Map<String, String> form(Request request) {
    Fields fields;
    try {
      fields = FormFields.getFields(request, MAX_FIELDS, MAX_FORM);
    } catch (RuntimeException e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException("the form could not be read: " + cause.getMessage(), e);
    }
    Map<String, String> out = new HashMap<>();
    for (Fields.Field field : fields) {
      out.putIfAbsent(field.getName(), field.getValue());
    }
    return out;
  }

  /** A browser that says where the form comes from must say: from this hub. */
  private static boolean sameOrigin(Request request) {
    String site = request.getHeaders().get("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      return false;
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin == null) {
      return true;
    }
    String host = request.getHeaders().get(HttpHeader.HOST);
    try {
      URI from = URI.create(origin);
      String authority = from.getRawAuthority();
      return host != null && authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Optional<String> voter(Request request) {
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (cookie.getName().equals(COOKIE)
          && cookie.getValue() != null
          && WorkshopAction.VOTER.matcher(cookie.getValue()).matches()) {
        return Optional.of(cookie.getValue());
      }
    }
    return Optional.empty();
  }

  private String newVoter() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return "ph" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void setCookie(Request request, Response response, String voter) {
    Response.addCookie(
        response,
        HttpCookie.build(COOKIE, voter)
            .path("/workshop")
            .httpOnly(true)
            .sameSite(HttpCookie.SameSite.STRICT)
            .maxAge(12 * 3600)
            .secure(request.isSecure())
            .build());
  }

  /** The form's token: ties a POST to the page this hub gave this voter. */
  String csrf(String voter) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(voter.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java has HmacSHA256", e);
    }
  }

  private static boolean badEvent(String event) {
    return event != null && EventId.ifValid(event).isEmpty();
  }

  private static String eventQuery(String event) {
    return event == null ? "" : "&event=" + URLEncoder.encode(event, StandardCharsets.UTF_8);
  }

  private static PageLanguage language(Request request) {
    return PageLanguage.choose(
        request.getHttpURI().getQuery(),
        request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE),
        PageLanguage.WITH_ARABIC);
  }

  /** At most {@code max} posts per client address in a window; the map is bounded. */
  static final class ClientLimit {
    private static final int MAX_CLIENTS = 10_000;
    private final int max;
    private final long windowMillis;
    private final Clock clock;
    private final Map<String, long[]> windows = new HashMap<>();

    ClientLimit(int max, long windowMillis, Clock clock) {
      this.max = max;
      this.windowMillis = windowMillis;
      this.clock = clock;
    }

    /** 0 when admitted, else the seconds to wait. */
    synchronized long acquire(String client) {
      long now = clock.millis();
      if (windows.size() >= MAX_CLIENTS && !windows.containsKey(client)) {
        windows.values().removeIf(w -> now - w[0] >= windowMillis);
        if (windows.size() >= MAX_CLIENTS) {
          windows.clear();
        }
      }
      long[] window = windows.computeIfAbsent(client, c -> new long[] {now, 0});
      if (now - window[0] >= windowMillis) {
        window[0] = now;
        window[1] = 0;
      }
      if (window[1] >= max) {
        return Math.max(1, (window[0] + windowMillis - now + 999) / 1000);
      }
      window[1]++;
      return 0;
    }
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * JSON over HTTP to the sync server's admin API or a hub: sends a request, returns the parsed
 * answer of a 2xx, and turns everything else into a {@link ProvisionException} whose one line says
 * what happened and what to do.
 */
final class HttpJson {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Larger than any answer of the admin API; refuses a wrong server's endless page quickly. */
  private static final int MAX_BODY_CHARS = 8 * 1024 * 1024;

  /** The other end: its name in messages and what it is. */
  enum Peer {
    SERVER("peer.server"),
    HUB("peer.hub");

    private final String key;

    Peer(String key) {
      this.key = key;
    }
  }

  private final HttpClient client;
  private final URI base;
  private final String what;
  private final Peer peer;
  private final Optional<String> bearer;
  private final String startHint;
  private final Texts texts;

  /**
   * @param base the server's or hub's base address, validated by {@link #baseUri}
   * @param peer the other end, named in messages: the server, the hub
   * @param bearer the admin token, sent as {@code Authorization: Bearer}, or empty
   * @param startHint what to check when nothing answers, e.g. "check --server and that `terrain
   *     server` runs there"
   * @param texts the language of the messages
   */
  HttpJson(URI base, Peer peer, Optional<String> bearer, String startHint, Texts texts) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.base = base;
    this.peer = peer;
    this.texts = texts;
    this.what = texts.get(peer.key);
    this.bearer = bearer;
    this.startHint = startHint;
  }

  /**
   * {@code text} as the base address of a server or hub: http or https, a host, no query or
   * fragment; a trailing slash is dropped.
   *
   * @param option the option that gave it, for the message
   */
  static URI baseUri(String text, String option, Texts texts) throws ProvisionException {
    if (text == null || text.isBlank()) {
      throw ProvisionException.usage(texts.get("http.missing", option));
    }
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw ProvisionException.usage(texts.get("http.notAddress", option, text, e.getReason()));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw ProvisionException.usage(texts.get("http.notHttp", option, text));
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw ProvisionException.usage(texts.get("http.queryUser", option, text));
    }
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  URI base() {
    return base;
  }

  /** A 2xx answer: its status and its JSON. */
  record Answer(int status, JsonNode json) {}

  JsonNode get(String path) throws ProvisionException {
    return send("GET", path, null, null).json();
  }

  JsonNode postJson(String path, JsonNode body) throws ProvisionException {
    try {
      return send("POST", path, "application/json", JSON.writeValueAsString(body)).json();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON request: " + e.getMessage(), e);
    }
  }

  Answer postText(String path, String contentType, String body) throws ProvisionException {
    return send("POST", path, contentType, body);
  }

  private Answer send(String method, String path, String contentType, String body)
      throws ProvisionException {
    URI uri = URI.create(base + path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
    bearer.ifPresent(token -> request.header("Authorization", "Bearer " + token));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", contentType);
      request.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw ProvisionException.refused(texts.get("http.connectTimeout", what, base, startHint));
    } catch (ConnectException e) {
      throw ProvisionException.refused(texts.get("http.connectRefused", what, base, startHint));
    } catch (HttpTimeoutException e) {
      throw ProvisionException.refused(
          texts.get("http.timeout", what, base, method, path, startHint));
    } catch (IOException e) {
      throw new ProvisionException(
          ProvisionException.REFUSED, texts.get("http.io", what, base, describe(e), startHint), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProvisionException.refused(texts.get("http.interrupted", what));
    }
    String text = response.body() == null ? "" : response.body();
    if (text.length() > MAX_BODY_CHARS) {
      throw ProvisionException.refused(texts.get("http.tooBig", what, base, startHint));
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Answer(status, parse(text, method, path));
    }
    throw refusal(status, text);
  }

  private JsonNode parse(String text, String method, String path) throws ProvisionException {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw malformed(method, path, "malformed.empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw malformed(method, path, "malformed.notJson");
    }
  }

  /**
   * A 2xx answer that is not what the protocol says.
   *
   * @param key the message saying what the answer held, e.g. {@code malformed.notJson}
   * @param args its arguments
   */
  ProvisionException malformed(String method, String path, String key, Object... args) {
    return ProvisionException.refused(
        texts.get(
            "http.malformed",
            what,
            base,
            method,
            path,
            texts.get(key, args),
            texts.get(peer.key + ".product")));
  }

  private ProvisionException refusal(int status, String text) {
    Optional<JsonNode> json = Optional.empty();
    try {
      json = Optional.ofNullable(JSON.readTree(text)).filter(JsonNode::isObject);
    } catch (JsonProcessingException e) {
      // Not JSON: a proxy's page or another program; said below.
    }
    String error =
        json.map(j -> j.path("error"))
            .filter(JsonNode::isTextual)
            .map(JsonNode::asText)
            .map(String::strip)
            .orElse("");
    List<String> problems = new ArrayList<>();
    json.map(j -> j.path("problems"))
        .filter(JsonNode::isArray)
        .ifPresent(array -> array.forEach(p -> problems.add(p.asText())));
    if (status == 401) {
      return ProvisionException.refused(
          texts.get("http.unauthorized", what, ServerOptions.TOKEN_ENV)
              + (error.isEmpty() ? "" : " (" + error + ")"));
    }
    if (error.isEmpty()) {
      return ProvisionException.refused(
          texts.get(
              "http.noErrorText", what, base, status, startHint, texts.get(peer.key + ".log")));
    }
    return new ProvisionException(
        ProvisionException.REFUSED, texts.get("http.refused", what, status, error), problems, null);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}

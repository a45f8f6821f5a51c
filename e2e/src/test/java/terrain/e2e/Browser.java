// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import terrain.dist.proc.Ports;

/**
 * Debian's headless Chromium, driven by chromedriver over the W3C WebDriver protocol (plain JSON
 * over HTTP, no client library), with a phone's screen: 390 × 844 CSS pixels at 3×, a phone's user
 * agent, touch. Where Chromium is missing the test fails and says what to install.
 */
final class Browser implements AutoCloseable {
  static final int PHONE_WIDTH = 390;
  static final int PHONE_HEIGHT = 844;
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Process driver;
  private final String session;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Browser(Process driver, String session) {
    this.driver = driver;
    this.session = session;
  }

  static Browser start(Path profile) throws Exception {
    String chromium = executable("TERRAIN_TEST_CHROMIUM", "/usr/bin/chromium");
    String chromedriver = executable("TERRAIN_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
    int port = Ports.free();
    Files.createDirectories(profile);
    Process driver =
        new ProcessBuilder(chromedriver, "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromedriver.log").toFile())
            .start();
    String url = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      await("chromedriver answers on " + url)
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptionsInstanceOf(IOException.class) // chromedriver is starting
          .until(
              () -> {
                if (!driver.isAlive()) {
                  throw new IllegalStateException("chromedriver exited");
                }
                return http.send(
                            HttpRequest.newBuilder(URI.create(url + "/status")).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == 200;
              });
    } catch (RuntimeException notStarted) {
      driver.destroyForcibly();
      throw new AssertionError("chromedriver did not start; see " + profile, notStarted);
    }
    ObjectNode options = MAPPER.createObjectNode();
    options.put("binary", chromium);
    options
        .putArray("args")
        .add("--headless=new")
        .add("--no-sandbox")
        .add("--disable-gpu")
        .add("--disable-quic")
        .add("--no-first-run")
        .add("--disable-background-networking")
        .add("--disable-component-update")
        .add("--disable-sync")
        .add("--lang=fr-FR")
        .add("--user-data-dir=" + profile.resolve("profile").toAbsolutePath());
    ObjectNode mobile = options.putObject("mobileEmulation");
    mobile
        .putObject("deviceMetrics")
        .put("width", PHONE_WIDTH)
        .put("height", PHONE_HEIGHT)
        .put("pixelRatio", 2.0)
        .put("touch", true);
    mobile.put(
        "userAgent",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/130.0 Mobile Safari/537.36");
    ObjectNode body = MAPPER.createObjectNode();
    body.putObject("capabilities").putObject("alwaysMatch").set("goog:chromeOptions", options);
    JsonNode created = post(http, url + "/session", body);
    String session = created.path("value").path("sessionId").asText();
    if (session.isEmpty()) {
      driver.destroyForcibly();
      throw new AssertionError("chromedriver refused the session: " + created);
    }
    return new Browser(driver, url + "/session/" + session);
  }

  /** Goes to {@code url} and waits for the page to load. */
  void open(String url) throws Exception {
    post(http, session + "/url", MAPPER.createObjectNode().put("url", url));
  }

  /** The visible text of the first element matching the CSS selector. */
  String text(String css) throws Exception {
    return get(session + "/element/" + element(css) + "/text").path("value").asText();
  }

  /**
   * The visible text of the first element matching the CSS selector, once it passes {@code until}
   * (the next page after a form was sent may still be loading).
   */
  String awaitText(String css, java.util.function.Predicate<String> until) throws Exception {
    AtomicReference<String> last = new AtomicReference<>("");
    // A stale or missing element (an AssertionError) while the next page loads means "not yet".
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              last.set(text(css));
              if (!until.test(last.get())) {
                throw new AssertionError(
                    "the page never showed what was expected; last text: " + last.get());
              }
            });
    return last.get();
  }

  /** Taps the first element matching the CSS selector (a form submit waits for the next page). */
  void click(String css) throws Exception {
    post(http, session + "/element/" + element(css) + "/click", MAPPER.createObjectNode());
  }

  /** Whether the page is wider than the phone's screen (a horizontal scroll bar). */
  boolean scrollsSideways() throws Exception {
    return execute("return document.documentElement.scrollWidth > window.innerWidth + 1;")
        .asBoolean();
  }

  /** Runs {@code script} (a function body) in the page and returns what it returns. */
  JsonNode execute(String script) throws Exception {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("script", script);
    body.putArray("args");
    return post(http, session + "/execute/sync", body).path("value");
  }

  /** The whole page as a PNG. */
  void screenshot(Path png) throws Exception {
    String data = get(session + "/screenshot").path("value").asText();
    Files.write(png, Base64.getDecoder().decode(data));
  }

  private String element(String css) throws Exception {
    ObjectNode find = MAPPER.createObjectNode().put("using", "css selector").put("value", css);
    JsonNode answer = post(http, session + "/element", find);
    JsonNode found = answer.path("value").path(ELEMENT);
    if (found.isMissingNode()) {
      throw new AssertionError("no element [" + css + "] on the page: " + answer);
    }
    return found.asText();
  }

  private JsonNode get(String url) throws Exception {
    return check(
        url,
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString()));
  }

  private static JsonNode post(HttpClient http, String url, JsonNode body) throws Exception {
    return check(
        url,
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString()));
  }

  private static JsonNode check(String url, HttpResponse<String> response) throws IOException {
    JsonNode json = MAPPER.readTree(response.body());
    if (response.statusCode() != 200) {
      throw new AssertionError("WebDriver " + url + " answered " + response.statusCode() + json);
    }
    return json;
  }

  private static String executable(String env, String fallback) {
    String path = System.getenv().getOrDefault(env, fallback);
    if (!Files.isExecutable(Path.of(path))) {
      throw new AssertionError(
          path
              + " is missing: the claim page is tested in a real browser. Install it with"
              + " `sudo apt-get install chromium chromium-driver` (what .ci/run does), or set "
              + env
              + " to its path.");
    }
    return path;
  }

  @Override
  public void close() throws Exception {
    try {
      http.send(
          HttpRequest.newBuilder(URI.create(session)).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException ignored) {
      // the driver goes anyway
    } finally {
      driver.destroy();
      if (!driver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
    }
  }
}

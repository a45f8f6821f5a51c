// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.kiosk.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.Bundle;
import terrain.core.trust.DeviceKind;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.SignedBundle;
import terrain.core.trust.TrustException;

/**
 * Enrols a kiosk or a tablet with the sync server: the device makes its own Ed25519 key and MQTT
 * secret, sends only their public parts with the one-time token of its kit ({@code POST
 * SERVER/api/enrol}), checks the bundle the server signs for it, and keeps the three in {@code
 * DATA/trust/}. Nothing is written before the bundle is checked, so a failed enrolment changes
 * nothing on disk.
 */
public final class Enrolment {
  private static final Logger log = LoggerFactory.getLogger(Enrolment.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The server's enrolment endpoint, under its base URL. */
  public static final String PATH = "/api/enrol";

  /** Longest enrolment text or file read. */
  private static final int MAX_TEXT = 4096;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final SecureRandom random;

  public Enrolment(HttpClient http, SecureRandom random) {
    this.http = http;
    this.random = random;
  }

  /** With a new HTTP client (10 s to connect). */
  public static Enrolment withDefaultClient(SecureRandom random) {
    return new Enrolment(
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build(),
        random);
  }

  /** The version this device runs, sent to the server. */
  static String version() {
    String v = Enrolment.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0" : v.replace("-SNAPSHOT", "");
  }

  /**
   * Reads an enrolment text given on the command line, or the file that holds it.
   *
   * @throws EnrolmentException if it is neither
   */
  public static EnrolmentText read(String textOrFile) throws EnrolmentException {
    if (textOrFile == null || textOrFile.isBlank()) {
      throw new EnrolmentException(
          "--enrol is empty: give the enrolment text of the device's kit, or a file holding it");
    }
    String text = textOrFile.strip();
    if (!text.contains("/enrol#")) {
      Path file;
      try {
        file = Path.of(text);
      } catch (InvalidPathException e) {
        file = null;
      }
      if (file != null && Files.isRegularFile(file)) {
        try {
          if (Files.size(file) > MAX_TEXT) {
            throw new EnrolmentException(
                file + " is too large for an enrolment text: give the text of the kit's QR code");
          }
          text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          throw new EnrolmentException("cannot read the enrolment file " + file + ": " + e, e);
        }
      }
    }
    try {
      return EnrolmentText.parse(text);
    } catch (TrustException e) {
      throw new EnrolmentException("Cannot enrol: " + e.getMessage(), e);
    }
  }

  /**
   * Enrols the device of {@code enrolment} into {@code data}.
   *
   * @param expected the kind this program runs as (kiosk or tablet)
   * @param storedId the device id the data folder already holds (its database), if any
   * @throws EnrolmentException with what to do; nothing was written
   */
  public DeviceTrust enrol(
      EnrolmentText enrolment, Path data, DeviceKind expected, Optional<DeviceId> storedId)
      throws EnrolmentException {
    DeviceId id = enrolment.device();
    Optional<DeviceId> owner = trustOwner(data).or(() -> storedId);
    if (owner.isPresent() && !owner.get().equals(id)) {
      throw new EnrolmentException(
          "The data folder "
              + data
              + " belongs to device "
              + owner.get()
              + ": use another --data folder for "
              + id
              + ", or roll "
              + owner.get()
              + " (terrain provision device roll "
              + owner.get()
              + ") to enrol it again here.");
    }
    DeviceKeys keys = DeviceKeys.generate(random);
    String secret = MqttSecret.generate(random);
    String bundleText = post(enrolment, keys, secret);
    DeviceTrust trust;
    try {
      trust = DeviceTrust.of(bundleText, keys, secret);
    } catch (TrustException e) {
      throw new EnrolmentException(
          "The server's answer for " + id + " cannot be trusted: " + e.getMessage(), e);
    }
    if (!trust.deviceId().equals(id)) {
      throw new EnrolmentException(
          "The server answered with a bundle for "
              + trust.deviceId()
              + " instead of "
              + id
              + ": check the enrolment text and the server address.");
    }
    if (trust.kind() != expected) {
      throw new EnrolmentException(
          id
              + " is enrolled as a "
              + trust.kind().label()
              + ", and this program runs as a "
              + expected.label()
              + (trust.kind() == DeviceKind.TABLET
                  ? ": add --mode tablet."
                  : trust.kind() == DeviceKind.KIOSK
                      ? ": leave --mode tablet out."
                      : ": enrol a hub with terrain hub --enrol."));
    }
    try {
      trust.save(data);
    } catch (IOException e) {
      throw new EnrolmentException(
          "Enrolled "
              + id
              + " but cannot write "
              + TrustFiles.folder(data)
              + " ("
              + e
              + "): free some space or fix the folder's permissions, then ask ops to roll "
              + id
              + " (terrain provision device roll "
              + id
              + ") and enrol again.",
          e);
    }
    log.info(
        "Enrolled {} ({}) for event {} with the server {}",
        id,
        expected.label(),
        trust.bundle().eventId(),
        enrolment.server());
    return trust;
  }

  /** The device a data folder's trust belongs to, if it has a readable bundle. */
  private static Optional<DeviceId> trustOwner(Path data) throws EnrolmentException {
    Path file = TrustFiles.folder(data).resolve(TrustFiles.BUNDLE);
    if (Files.notExists(file)) {
      return Optional.empty();
    }
    try {
      Bundle bundle = SignedBundle.parse(Files.readString(file)).verifyFirst();
      return Optional.ofNullable(bundle.recipient());
    } catch (IOException | TrustException e) {
      throw new EnrolmentException(
          "The data folder "
              + data
              + " holds a damaged enrolment ("
              + e.getMessage()
              + "): move "
              + TrustFiles.folder(data)
              + " away, or use another --data folder.",
          e);
    }
  }

  private String post(EnrolmentText enrolment, DeviceKeys keys, String secret)
      throws EnrolmentException {
    ObjectNode body = JSON.createObjectNode();
    body.put("device", enrolment.device().value());
    body.put("token", enrolment.token());
    body.put("publicKey", keys.publicKeyText());
    body.put("secretHash", MqttSecret.hash(secret));
    body.put("version", version());
    URI uri = URI.create(enrolment.server() + PATH);
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(uri)
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
              .build();
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new EnrolmentException("Cannot make the enrolment request to " + uri + ": " + e, e);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw unreachable(enrolment, e);
    } catch (HttpTimeoutException e) {
      throw new EnrolmentException(
          "The server "
              + enrolment.server()
              + " did not answer within "
              + TIMEOUT.toSeconds()
              + " s: try again in a moment; nothing was changed on this device.",
          e);
    } catch (IOException e) {
      throw unreachable(enrolment, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnrolmentException("Enrolment interrupted: nothing was changed on this device.", e);
    }
    int status = response.statusCode();
    if (status == 200) {
      try {
        JsonNode answer = JSON.readTree(response.body());
        JsonNode bundle = answer == null ? null : answer.get("bundle");
        if (bundle == null || !bundle.isTextual()) {
          throw new EnrolmentException(
              "The server "
                  + enrolment.server()
                  + " answered without a bundle: check that it is a Terrain sync server of this"
                  + " version.");
        }
        return bundle.asText();
      } catch (JsonProcessingException e) {
        throw new EnrolmentException(
            "The server " + enrolment.server() + " answered with something that is not JSON.", e);
      }
    }
    String error = serverError(response.body());
    String why =
        switch (status) {
          case 404 -> "this enrolment is unknown to the server";
          case 410 -> "this enrolment was already used or has expired";
          case 400 -> "the server refused the request as malformed";
          default -> "the server answered HTTP " + status;
        };
    String todo =
        switch (status) {
          case 404 ->
              " Check the server address and the text of the kit, or ask ops for a new"
                  + " enrolment (terrain provision device roll "
                  + enrolment.device()
                  + ").";
          case 410 ->
              " Ask ops for a new one (terrain provision device roll " + enrolment.device() + ").";
          default -> "";
        };
    throw new EnrolmentException(
        "Cannot enrol "
            + enrolment.device()
            + ": "
            + why
            + (error.isEmpty() ? "." : " (server: " + error + ").")
            + todo
            + " Nothing was changed on this device.");
  }

  private static EnrolmentException unreachable(EnrolmentText enrolment, IOException e) {
    return new EnrolmentException(
        "Cannot reach the server "
            + enrolment.server()
            + " ("
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
            + "): check this device's network and the server address of the enrolment text, then"
            + " try again. Nothing was changed on this device.",
        e);
  }

  /** The server's {@code {"error": ...}} text, shortened, or empty. */
  private static String serverError(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode node = JSON.readTree(body);
      JsonNode error = node == null ? null : node.get("error");
      if (error != null && error.isTextual()) {
        return shorten(error.asText());
      }
    } catch (JsonProcessingException e) {
      // Not JSON: quote the start of the text.
    }
    return shorten(body.strip());
  }

  private static String shorten(String s) {
    String oneLine = s.replaceAll("\\s+", " ");
    return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
  }
}

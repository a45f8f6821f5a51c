// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.enrolment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * Enrols a device (kiosk, tablet or hub) with the sync server: the device makes its own Ed25519 key
 * and MQTT secret, sends only their public parts with the one-time token of its kit ({@code POST
 * SERVER/api/enrol}), checks the bundle the server signs for it ({@link EnrolledDevice#check}), and
 * keeps the three in {@code DATA/trust/}. Nothing is written before the bundle is checked, so a
 * failed enrolment changes nothing on disk.
 */
public final class EnrolmentClient {
  private static final Logger log = LoggerFactory.getLogger(EnrolmentClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The server's enrolment endpoint, under its base URL. */
  public static final String PATH = "/api/enrol";

  /** Longest enrolment text or file read. */
  private static final int MAX_TEXT = 4096;

  /** Longest answer read: a bundle, JSON-quoted. */
  private static final int MAX_ANSWER = Bundle.MAX_BYTES * 2 + 1024;

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String UNCHANGED = " Nothing was changed on this device.";

  private final HttpClient http;
  private final SecureRandom random;
  private final List<String> forget;

  public EnrolmentClient(HttpClient http, SecureRandom random) {
    this(http, random, List.of());
  }

  private EnrolmentClient(HttpClient http, SecureRandom random, List<String> forget) {
    this.http = http;
    this.random = random;
    this.forget = forget;
  }

  /** With a new HTTP client (10 s to connect, no redirects). */
  public static EnrolmentClient withDefaultClient(SecureRandom random) {
    return new EnrolmentClient(
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build(),
        random);
  }

  /**
   * The same client, which also removes these files of {@code DATA/trust/} (derived from an earlier
   * enrolment) before it keeps a new bundle.
   */
  public EnrolmentClient forgetting(String... names) {
    return new EnrolmentClient(http, random, List.of(names));
  }

  /** The version this device runs, sent to the server. */
  static String version() {
    String v = EnrolmentClient.class.getPackage().getImplementationVersion();
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
        file = null; // not a path: the parser says what is wrong with the text
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
      throw new EnrolmentException(e.getMessage(), e);
    }
  }

  /**
   * Enrols the device of {@code enrolment} into {@code data}.
   *
   * @param allowed the kinds this program runs as
   * @param storedId the device id the data folder already holds (its database), if any
   * @throws EnrolmentException with what to do; nothing was written
   */
  public EnrolledDevice enrol(
      EnrolmentText enrolment, Path data, Set<DeviceKind> allowed, Optional<DeviceId> storedId)
      throws EnrolmentException {
    DeviceId id = enrolment.device();
    TrustFiles files = new TrustFiles(data);
    Optional<DeviceId> owner = owner(files, data).or(() -> storedId);
    if (owner.isPresent() && !owner.get().equals(id)) {
      throw new EnrolmentException(
          "the data folder "
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
    EnrolledDevice device;
    try {
      device = EnrolledDevice.check(bundleText, keys, secret, allowed);
    } catch (TrustException e) {
      throw new EnrolmentException(
          "the server's answer for "
              + id
              + " cannot be trusted: "
              + e.getMessage()
              + "."
              + UNCHANGED
              + " Tell ops, who can roll the device.",
          e);
    }
    if (!device.id().equals(id)) {
      throw new EnrolmentException(
          "the server answered with a bundle for "
              + device.id()
              + " instead of "
              + id
              + ": check the enrolment text and the server address."
              + UNCHANGED);
    }
    try {
      for (String name : forget) {
        files.delete(name);
      }
      device.save(files);
    } catch (IOException e) {
      throw new EnrolmentException(
          id
              + " is enrolled on the server but its files could not be written in "
              + files.folder()
              + " ("
              + e
              + "): free some space or fix the folder's permissions, then ask ops for a new"
              + " text (terrain provision device roll "
              + id
              + ") and enrol again.",
          e);
    }
    log.info(
        "Enrolled {} ({}) for event {} with the server {} (bundle sequence {}); trust kept in {}",
        id,
        device.kind().label(),
        device.bundle().eventId(),
        enrolment.server(),
        device.bundle().sequence(),
        files.folder());
    return device;
  }

  /** The device a data folder's trust belongs to, if it has a bundle. */
  private static Optional<DeviceId> owner(TrustFiles files, Path data) throws EnrolmentException {
    if (!files.enrolled()) {
      return Optional.empty();
    }
    try {
      String text = new String(files.read(TrustFiles.BUNDLE), StandardCharsets.UTF_8);
      return Optional.ofNullable(SignedBundle.parse(text).verifyFirst().recipient());
    } catch (IOException | TrustException e) {
      throw new EnrolmentException(
          "the data folder "
              + data
              + " holds a damaged enrolment ("
              + e.getMessage()
              + "): move "
              + files.folder()
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
              .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
              .build();
    } catch (IllegalArgumentException e) {
      throw new EnrolmentException(
          "cannot make the enrolment request to "
              + uri
              + " ("
              + e.getMessage()
              + "): check the server address of the enrolment text.",
          e);
    }
    int status;
    String answer;
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      status = response.statusCode();
      try (InputStream in = response.body()) {
        answer = new String(in.readNBytes(MAX_ANSWER), StandardCharsets.UTF_8);
      }
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw unreachable(enrolment, e);
    } catch (HttpTimeoutException e) {
      throw new EnrolmentException(
          "the server "
              + enrolment.server()
              + " did not answer within "
              + TIMEOUT.toSeconds()
              + " s: try again in a moment."
              + UNCHANGED,
          e);
    } catch (IOException e) {
      throw unreachable(enrolment, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnrolmentException("the enrolment was interrupted." + UNCHANGED, e);
    }
    if (status == 200) {
      return bundleOf(enrolment, answer);
    }
    throw refused(enrolment, status, serverError(answer));
  }

  private static String bundleOf(EnrolmentText enrolment, String answer) throws EnrolmentException {
    try {
      JsonNode json = JSON.readTree(answer);
      JsonNode bundle = json == null ? null : json.get("bundle");
      if (bundle == null || !bundle.isTextual()) {
        throw new EnrolmentException(
            "the server "
                + enrolment.server()
                + " answered the enrolment without a bundle: check that it is a Terrain sync"
                + " server of this version."
                + UNCHANGED);
      }
      return bundle.asText();
    } catch (JsonProcessingException e) {
      throw new EnrolmentException(
          "the server "
              + enrolment.server()
              + " answered the enrolment with something that is not JSON: check the server"
              + " address of the enrolment text."
              + UNCHANGED,
          e);
    }
  }

  private static EnrolmentException refused(EnrolmentText enrolment, int status, String error) {
    DeviceId id = enrolment.device();
    String what =
        switch (status) {
          case 404 -> "the server does not know this device or token";
          case 410 -> "this enrolment text was already used or has expired";
          case 400 -> "the server found the enrolment request malformed";
          default -> "the server answered HTTP " + status;
        };
    String todo =
        switch (status) {
          case 404 ->
              " Check the server address and the text of the kit, or ask ops for a new one"
                  + " (terrain provision device roll "
                  + id
                  + ").";
          case 410 ->
              error.contains("roll")
                  ? ""
                  : " Ask ops for a new one: terrain provision device roll " + id + ".";
          default -> "";
        };
    return new EnrolmentException(
        what
            + (error.isEmpty() ? "." : ": " + error + (error.endsWith(".") ? "" : "."))
            + todo
            + UNCHANGED);
  }

  private static EnrolmentException unreachable(EnrolmentText enrolment, IOException e) {
    return new EnrolmentException(
        "cannot reach the server "
            + enrolment.server()
            + " ("
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
            + "): check this device's network and the server address of the enrolment text, then"
            + " try again."
            + UNCHANGED,
        e);
  }

  /** The server's {@code {"error": ...}} text, or the start of its answer, on one line. */
  private static String serverError(String answer) {
    String text = answer.strip();
    try {
      JsonNode json = JSON.readTree(answer);
      if (json != null && json.path("error").isTextual()) {
        text = json.path("error").asText().strip();
      }
    } catch (JsonProcessingException e) {
      // Not JSON: quote the start of the text.
    }
    String oneLine = text.replaceAll("[\\s\\p{Cntrl}]+", " ");
    return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
  }
}

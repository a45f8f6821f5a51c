// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.hub.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.core.record.DeviceId;
import terrain.core.ticket.DeviceKeys;
import terrain.core.trust.Bundle;
import terrain.core.trust.EnrolmentText;
import terrain.core.trust.MqttSecret;
import terrain.core.trust.SignedBundle;
import terrain.core.trust.TrustException;

/**
 * Enrols a hub with the sync server ({@code POST /api/enrol}): the hub makes its own Ed25519 key
 * and MQTT secret, sends only their public parts with the single-use token, checks the signed
 * bundle it receives and keeps everything in {@code DATA/trust/}. Nothing is written unless the
 * server accepted the token and its bundle checks out.
 */
public final class Enroller {
  private static final Logger log = LoggerFactory.getLogger(Enroller.class);

  /** The Terrain version sent to the server. */
  public static final String VERSION = "0.1.0";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final SecureRandom random;

  public Enroller(SecureRandom random) {
    this(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build(), random);
  }

  Enroller(HttpClient http, SecureRandom random) {
    this.http = http;
    this.random = random;
  }

  /** Enrols the hub whose data folder is {@code dataDir} with the kit's {@code text}. */
  public HubTrust enrol(EnrolmentText text, Path dataDir)
      throws EnrolmentException, InterruptedException {
    TrustFiles files = new TrustFiles(dataDir);
    checkFolder(files, text.device());
    DeviceKeys keys = DeviceKeys.generate(random);
    String secret = MqttSecret.generate(random);
    String body = request(text, keys, secret);
    URI url = URI.create(text.server() + "/api/enrol");
    HttpResponse<InputStream> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(url)
                  .timeout(REQUEST_TIMEOUT)
                  .header("Content-Type", "application/json")
                  .header("Accept", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException | HttpTimeoutException e) {
      throw unreachable(text, e);
    } catch (IOException e) {
      throw unreachable(text, e);
    }
    String answer;
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(Bundle.MAX_BYTES * 2 + 1024);
      answer = new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw unreachable(text, e);
    }
    int status = response.statusCode();
    if (status != 200) {
      throw refused(text, status, answer);
    }
    SignedBundle signed;
    Bundle bundle;
    try {
      JsonNode json = JSON.readTree(answer);
      JsonNode node = json == null ? null : json.get("bundle");
      if (node == null || !node.isTextual()) {
        throw new EnrolmentException(
            "the server at "
                + text.server()
                + " answered the enrolment without a bundle: is it a Terrain sync server of the"
                + " same version? Nothing was changed on this hub.");
      }
      signed = SignedBundle.parse(node.asText());
      bundle = signed.verifyFirst();
    } catch (JsonProcessingException e) {
      throw new EnrolmentException(
          "the server at "
              + text.server()
              + " answered the enrolment with something that is not JSON: is the address of"
              + " the kit right? Nothing was changed on this hub.",
          e);
    } catch (TrustException e) {
      throw new EnrolmentException(
          "the server's bundle cannot be trusted: "
              + e.getMessage()
              + " Nothing was changed on this hub.",
          e);
    }
    check(bundle, text.device(), keys, secret);
    try {
      HubTrust trust = HubTrust.store(files, signed, keys, secret);
      log.info(
          "Hub {} enrolled for event {} with {} (bundle sequence {}); trust kept in {}",
          trust.id(),
          bundle.eventId(),
          text.server(),
          bundle.sequence(),
          files.folder());
      return trust;
    } catch (IOException e) {
      throw new EnrolmentException(
          "the hub is enrolled on the server but its files could not be written in "
              + files.folder()
              + " ("
              + e
              + "): fix the folder's permissions or free disk space, then ask ops for a new"
              + " text (terrain provision device roll "
              + text.device()
              + ") and enrol again.",
          e);
    } catch (TrustException e) {
      throw new EnrolmentException(e.getMessage(), e);
    }
  }

  /** A folder enrolled as another hub is not taken over. */
  private static void checkFolder(TrustFiles files, DeviceId device) throws EnrolmentException {
    if (!files.enrolled()) {
      return;
    }
    String owner;
    try {
      owner =
          Bundle.fromYaml(payloadOf(files))
              .recipient()
              .value(); // the owner's name only: the signature was checked when it was kept
    } catch (IOException | TrustException | RuntimeException e) {
      throw new EnrolmentException(
          "the data folder "
              + files.folder().getParent()
              + " already holds an enrolment that cannot be read ("
              + e.getMessage()
              + "): use another --data, or remove "
              + files.folder()
              + " if that hub is gone.",
          e);
    }
    if (!owner.equals(device.value())) {
      throw new EnrolmentException(
          "this folder belongs to hub "
              + owner
              + ": use another --data or roll "
              + owner
              + " (terrain provision device roll "
              + owner
              + ") to enrol it again.");
    }
  }

  private static byte[] payloadOf(TrustFiles files) throws IOException, TrustException {
    String text = new String(files.read(TrustFiles.BUNDLE), StandardCharsets.UTF_8).strip();
    int dot = text.indexOf('.');
    if (dot < 0) {
      throw new TrustException("not a signed bundle");
    }
    try {
      return java.util.Base64.getUrlDecoder().decode(text.substring(0, dot));
    } catch (IllegalArgumentException e) {
      throw new TrustException("not a signed bundle", e);
    }
  }

  private static String request(EnrolmentText text, DeviceKeys keys, String secret) {
    ObjectNode json = JSON.createObjectNode();
    json.put("device", text.device().value());
    json.put("token", text.token());
    json.put("publicKey", keys.publicKeyText());
    json.put("secretHash", MqttSecret.hash(secret));
    json.put("version", VERSION);
    return json.toString();
  }

  private static void check(Bundle bundle, DeviceId device, DeviceKeys keys, String secret)
      throws EnrolmentException {
    String fix = " Nothing was changed on this hub; tell ops, who can roll the device.";
    if (!device.equals(bundle.recipient())) {
      throw new EnrolmentException(
          "the server's bundle is made for "
              + bundle.recipient()
              + ", not for "
              + device
              + "."
              + fix);
    }
    Bundle.Entry self;
    try {
      self = HubTrust.checkOwn(bundle);
    } catch (TrustException e) {
      throw new EnrolmentException(e.getMessage() + "." + fix, e);
    }
    if (!self.publicKey().equals(keys.publicKeyText())
        || !self.secretHash().equals(MqttSecret.hash(secret))) {
      throw new EnrolmentException(
          "the server's bundle lists another key or secret for "
              + device
              + " than this hub's."
              + fix);
    }
  }

  private static EnrolmentException unreachable(EnrolmentText text, Exception e) {
    return new EnrolmentException(
        "cannot reach the sync server at "
            + text.server()
            + " ("
            + e
            + "): check this hub's network and the server's address, then run the same command"
            + " again. Nothing was changed on this hub.",
        e);
  }

  private static EnrolmentException refused(EnrolmentText text, int status, String answer) {
    String error = errorText(answer);
    String what =
        switch (status) {
          case 404 -> "the server does not know this device or token";
          case 410 -> "this enrolment text was already used or has expired";
          case 400 -> "the server found the enrolment request malformed";
          default -> "the server answered HTTP " + status;
        };
    String advice =
        switch (status) {
          case 404, 410 ->
              error.contains("roll")
                  ? ""
                  : " Ask ops for a new one: terrain provision device roll " + text.device() + ".";
          default -> "";
        };
    return new EnrolmentException(
        what
            + (error.isEmpty() ? "." : ": " + error)
            + advice
            + " Nothing was changed on this hub.");
  }

  /** The {@code error} of a JSON error answer, or the start of the answer's text. */
  private static String errorText(String answer) {
    try {
      JsonNode json = JSON.readTree(answer);
      if (json != null && json.path("error").isTextual()) {
        return json.path("error").asText().strip();
      }
    } catch (JsonProcessingException e) {
      // not JSON: show its start
    }
    String plain = answer.strip().replaceAll("[\\p{Cntrl}]", " ");
    return plain.length() > 200 ? plain.substring(0, 200) + "..." : plain;
  }
}

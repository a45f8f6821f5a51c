// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.core.trust;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;
import terrain.core.record.DeviceId;
import terrain.core.ticket.Base32;

/**
 * What ops staff give a device to enrol it, printed as a QR code on the kit: the server's address,
 * the device id given at enrolment and a single-use token, under a format version.
 *
 * <p>Written as {@code SERVER/enrol#v1/DEVICE/TOKEN}, e.g. {@code
 * https://terrain.example.fr/enrol#v1/kiosk-7f3a2c/K4J...}. A phone that scans the QR code opens
 * the server's enrolment page; the fragment (device and token) is never sent to the server by a
 * browser, so the token does not land in access logs.
 *
 * @param server the sync server's base URL (http or https), without a trailing slash
 * @param device the id the server gave the device
 * @param token the single-use enrolment token (base32, {@link #TOKEN_LENGTH} characters)
 */
public record EnrolmentText(URI server, DeviceId device, String token) {

  /** The format version written now. */
  public static final int FORMAT = 1;

  /** Characters of a token: 160 random bits in base32. */
  public static final int TOKEN_LENGTH = 32;

  private static final Pattern TOKEN = Pattern.compile("[A-Z2-7]{" + TOKEN_LENGTH + "}");
  private static final String MARK = "/enrol#v";

  public EnrolmentText {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(token, "token");
    String scheme = server.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || server.getHost() == null) {
      throw new IllegalArgumentException(
          "server [" + server + "] must be an http:// or https:// address with a host");
    }
    String text = server.toString();
    if (text.endsWith("/")) {
      server = URI.create(text.substring(0, text.length() - 1));
    }
    if (!TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException(
          "enrolment token must be " + TOKEN_LENGTH + " base32 characters (A-Z, 2-7)");
    }
  }

  /** A fresh random token. */
  public static String newToken(SecureRandom random) {
    byte[] bytes = new byte[TOKEN_LENGTH * 5 / 8];
    random.nextBytes(bytes);
    return Base32.encode(bytes);
  }

  /** The text to print as a QR code. */
  public String text() {
    return server + MARK + FORMAT + "/" + device.value() + "/" + token;
  }

  /** Reads an enrolment text as {@link #text()} writes it; spaces around it are ignored. */
  public static EnrolmentText parse(String text) throws TrustException {
    String fix = " Scan or copy the enrolment text from the device's kit again.";
    if (text == null || text.isBlank()) {
      throw new TrustException("the enrolment text is empty." + fix);
    }
    String t = text.strip();
    int mark = t.indexOf(MARK);
    if (mark < 0) {
      throw new TrustException(
          "["
              + shorten(t)
              + "] is not a Terrain enrolment text (SERVER/enrol#v1/DEVICE/TOKEN)."
              + fix);
    }
    String[] parts = t.substring(mark + MARK.length()).split("/", -1);
    int version;
    try {
      version = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      throw new TrustException("the enrolment text has no format version after 'enrol#v'." + fix);
    }
    if (version != FORMAT) {
      throw new TrustException(
          "the enrolment text is format v"
              + version
              + " and this program reads v"
              + FORMAT
              + ": update Terrain on this device, or enrol it again with this version.");
    }
    if (parts.length != 3) {
      throw new TrustException("the enrolment text must end with /DEVICE/TOKEN." + fix);
    }
    try {
      return new EnrolmentText(new URI(t.substring(0, mark)), DeviceId.of(parts[1]), parts[2]);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new TrustException("the enrolment text is not valid: " + e.getMessage() + "." + fix, e);
    }
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  @Override
  public String toString() {
    // The token is a secret until used.
    return "EnrolmentText[server=" + server + ", device=" + device + ", token=***]";
  }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the server sends the follow-up mails ({@code --smtp-*}). Without a host, mails stay queued in
 * the outbox and the staff page says so.
 *
 * @param host the SMTP server, or null when mail is not configured
 * @param port its port (587 for STARTTLS, 465 for TLS, 25 or a test server's)
 * @param from the sender's address, e.g. {@code "Mairie de Bègles <participation@mairie.fr>"}
 * @param username the SMTP login, or null for none
 * @param password its password, or null
 * @param security {@code starttls} (required), {@code tls} (from the first byte) or {@code none}
 * @param retryBase the first wait after a failed attempt; it doubles up to an hour
 * @param maxAttempts attempts before a mail is marked failed
 */
public record MailSettings(
    String host,
    int port,
    String from,
    String username,
    String password,
    String security,
    Duration retryBase,
    int maxAttempts) {

  /** No SMTP server: mails are queued and kept. */
  public static final MailSettings NONE =
      new MailSettings(null, 587, null, null, null, "starttls", Duration.ofSeconds(30), 12);

  public static final List<String> SECURITIES = List.of("starttls", "tls", "none");

  public MailSettings {
    security = security == null ? "starttls" : security.toLowerCase(Locale.ROOT);
    retryBase = retryBase == null ? Duration.ofSeconds(30) : retryBase;
    List<String> problems = new ArrayList<>();
    if (host != null && host.isBlank()) {
      host = null;
    }
    if (host != null) {
      if (port < 1 || port > 65535) {
        problems.add(
            "--smtp-port [" + port + "] is not a port: pass 587 (STARTTLS), 465 (TLS) or 25.");
      }
      if (from == null || from.isBlank()) {
        problems.add(
            "--smtp-from is missing: pass the sender's address, e.g. participation@mairie.fr,"
                + " with --smtp-host.");
      } else {
        try {
          new InternetAddress(from, true);
        } catch (AddressException e) {
          problems.add(
              "--smtp-from ["
                  + from
                  + "] is not an e-mail address: pass e.g. participation@mairie.fr or"
                  + " \"Mairie <participation@mairie.fr>\".");
        }
      }
      if (!SECURITIES.contains(security)) {
        problems.add(
            "--smtp-security ["
                + security
                + "] must be starttls (port 587), tls (port 465) or none (a relay on the same"
                + " machine or a test server).");
      }
      if ((username == null) != (password == null)) {
        problems.add(
            "--smtp-user and the password (--smtp-password-file or TERRAIN_SMTP_PASSWORD) go"
                + " together: give both, or neither for a relay without login.");
      }
    } else if (from != null || username != null) {
      problems.add(
          "--smtp-from or --smtp-user is given without --smtp-host: pass the SMTP server too, or"
              + " leave them out (mails then stay queued).");
    }
    if (retryBase.isNegative()
        || retryBase.isZero()
        || retryBase.compareTo(Duration.ofHours(1)) > 0) {
      problems.add("the SMTP retry wait must be between 1 ms and 1 hour.");
    }
    if (maxAttempts < 1 || maxAttempts > 100) {
      problems.add("the SMTP attempts must be 1 to 100.");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
  }

  /** A server without login nor TLS, e.g. a test server on loopback. */
  public static MailSettings plain(String host, int port, String from, Duration retryBase) {
    return new MailSettings(host, port, from, null, null, "none", retryBase, 12);
  }

  public boolean configured() {
    return host != null;
  }

  /** Without the password. */
  @Override
  public String toString() {
    return configured()
        ? "smtp://"
            + (username == null ? "" : username + "@")
            + host
            + ":"
            + port
            + " ("
            + security
            + ")"
        : "no SMTP server";
  }
}

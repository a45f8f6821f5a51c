// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import terrain.store.StoreException;

/**
 * The thread that sends the outbox's mails over SMTP with Jakarta Mail (Angus), one at a time:
 * claim (committed {@code sending}), SMTP, then {@code sent}; a failure before the server could
 * take the mail queues it again after a doubling wait; see {@link MailOutbox} for the states.
 */
public final class MailSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MailSender.class);

  /** A mail left {@code sending} longer than this was being sent by a process that stopped. */
  static final Duration STALE = Duration.ofMinutes(10);

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration MAX_WAIT = Duration.ofHours(1);
  private static final int BATCH = 20;

  private final MailOutbox outbox;
  private final MailSettings settings;
  private final Supplier<String> publicUrl;
  private final Clock clock;
  private final Session session;
  private final Thread thread;
  private final Object signal = new Object();
  private volatile boolean stopped;
  private boolean woken;

  /**
   * @param publicUrl the server's address as residents reach it, for the List-Unsubscribe header
   */
  public MailSender(
      MailOutbox outbox, MailSettings settings, Supplier<String> publicUrl, Clock clock) {
    if (!settings.configured()) {
      throw new IllegalArgumentException("MailSender needs an SMTP host");
    }
    this.outbox = outbox;
    this.settings = settings;
    this.publicUrl = publicUrl;
    this.clock = clock;
    this.session = Session.getInstance(properties(settings));
    this.thread = new Thread(this::run, "mail-sender");
    thread.setDaemon(true);
  }

  static Properties properties(MailSettings settings) {
    Properties p = new Properties();
    p.put("mail.transport.protocol", settings.security().equals("tls") ? "smtps" : "smtp");
    String prefix = settings.security().equals("tls") ? "mail.smtps." : "mail.smtp.";
    p.put(prefix + "host", settings.host());
    p.put(prefix + "port", Integer.toString(settings.port()));
    p.put(prefix + "connectiontimeout", "10000");
    p.put(prefix + "timeout", "30000");
    p.put(prefix + "writetimeout", "30000");
    p.put(prefix + "auth", Boolean.toString(settings.username() != null));
    if (settings.security().equals("starttls")) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if (!settings.security().equals("none")) {
      p.put(prefix + "ssl.checkserveridentity", "true");
    }
    return p;
  }

  public MailSender start() {
    thread.start();
    log.info("Follow-up mails sent through {}", settings);
    return this;
  }

  /** Looks at the outbox now (mails were queued). */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void run() {
    long nextSweep = 0;
    while (!stopped) {
      try {
        long now = clock.millis();
        if (now >= nextSweep) {
          int stale = outbox.sweepStale(now - STALE.toMillis(), now);
          if (stale > 0) {
            log.warn(
                "{} mails were being sent when a server stopped: marked uncertain, not sent again",
                stale);
          }
          nextSweep = now + Duration.ofMinutes(1).toMillis();
        }
        List<Long> due = outbox.due(now, BATCH);
        for (long id : due) {
          if (stopped) {
            return;
          }
          Optional<MailOutbox.Claimed> claimed = outbox.claim(id, clock.millis());
          if (claimed.isPresent()) {
            send(claimed.get());
          }
        }
        if (due.size() == BATCH) {
          continue;
        }
      } catch (StoreException | RuntimeException e) {
        log.warn("The mail outbox could not be read; next try in {}", POLL, e);
      }
      pause();
    }
  }

  private void pause() {
    synchronized (signal) {
      if (!woken && !stopped) {
        try {
          signal.wait(POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopped = true;
        }
      }
      woken = false;
    }
  }

  /** What became of one attempt. */
  enum Outcome {
    SENT,
    RETRY,
    FAILED,
    UNCERTAIN
  }

  private void send(MailOutbox.Claimed mail) throws StoreException {
    boolean connected = false;
    String error;
    Outcome outcome;
    try (Transport transport = session.getTransport()) {
      // Built before connecting: a mail that cannot be built is not sent, and is retried.
      MimeMessage message = message(mail);
      transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
      connected = true;
      transport.sendMessage(message, message.getAllRecipients());
      outcome = Outcome.SENT;
      error = null;
    } catch (MessagingException e) {
      outcome = classify(e, connected);
      error = describe(e);
    } catch (RuntimeException e) {
      outcome = connected ? Outcome.UNCERTAIN : Outcome.RETRY;
      error = e.toString();
    }
    long now = clock.millis();
    switch (outcome) {
      case SENT:
        outbox.sent(mail.id(), now);
        log.info("Follow-up mail {} sent", mail.id());
        break;
      case RETRY:
        if (mail.attempts() >= settings.maxAttempts()) {
          outbox.failed(mail.id(), now, "after " + mail.attempts() + " attempts: " + error);
          log.warn(
              "Follow-up mail {} failed after {} attempts: {}", mail.id(), mail.attempts(), error);
        } else {
          long wait = backoff(settings.retryBase(), mail.attempts()).toMillis();
          outbox.retry(mail.id(), now, now + wait, error);
          log.info(
              "Follow-up mail {} not sent ({}), attempt {}; next in {} ms",
              mail.id(),
              error,
              mail.attempts(),
              wait);
        }
        break;
      case FAILED:
        outbox.failed(mail.id(), now, error);
        log.warn("Follow-up mail {} refused by the SMTP server: {}", mail.id(), error);
        break;
      default:
        outbox.uncertain(mail.id(), now, error);
        log.warn(
            "Follow-up mail {}: the connection broke during the transfer ({}); marked uncertain,"
                + " not sent again",
            mail.id(),
            error);
    }
  }

  /** The wait before attempt {@code attempts + 1}: the base, doubled each time, at most an hour. */
  static Duration backoff(Duration base, int attempts) {
    Duration wait = base;
    for (int i = 1; i < attempts && wait.compareTo(MAX_WAIT) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }

  /**
   * Before the connection was up the server cannot have the mail; after, a reply code says whether
   * it refused it for now (4xx) or for good (5xx); without one, the transfer broke and the server
   * may have taken it.
   */
  static Outcome classify(MessagingException e, boolean connected) {
    if (!connected) {
      return Outcome.RETRY;
    }
    Exception cause = e;
    while (cause != null) {
      int code = -1;
      if (cause instanceof SMTPSendFailedException s) {
        code = s.getReturnCode();
      } else if (cause instanceof SMTPAddressFailedException a) {
        code = a.getReturnCode();
      } else if (cause instanceof SMTPSenderFailedException f) {
        code = f.getReturnCode();
      }
      if (code >= 400 && code < 500) {
        return Outcome.RETRY;
      }
      if (code >= 500) {
        return Outcome.FAILED;
      }
      cause = cause instanceof MessagingException m ? m.getNextException() : null;
    }
    return Outcome.UNCERTAIN;
  }

  private static String describe(MessagingException e) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    Exception next = e.getNextException();
    return next == null || next.getMessage() == null ? text : text + ": " + next.getMessage();
  }

  private MimeMessage message(MailOutbox.Claimed mail) throws MessagingException {
    InternetAddress from = new InternetAddress(settings.from(), true);
    String domain = from.getAddress().substring(from.getAddress().indexOf('@') + 1);
    String messageId = "<terrain-follow-up-" + mail.id() + "@" + domain + ">";
    MimeMessage message =
        new MimeMessage(session) {
          @Override
          protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
          }
        };
    message.setFrom(from);
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.recipient(), true));
    message.setSubject(mail.subject(), "UTF-8");
    message.setText(mail.body(), "UTF-8");
    String unsubscribe = publicUrl.get() + "/follow-up/unsubscribe/" + mail.token();
    message.setHeader("List-Unsubscribe", "<" + unsubscribe + ">");
    message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    message.setHeader("Auto-Submitted", "auto-generated");
    message.setSentDate(java.util.Date.from(clock.instant()));
    message.saveChanges();
    return message;
  }

  @Override
  public void close() {
    stopped = true;
    wake();
    // Not interrupted: a transfer cut in the middle would leave its mail uncertain.
    try {
      thread.join(Duration.ofSeconds(40).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

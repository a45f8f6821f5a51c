// SPDX-License-Identifier: AGPL-3.0-or-later
package terrain.server.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.mail.MessagingException;
import java.time.Duration;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

/** What the sender makes of a failed attempt, and how long it waits before the next. */
class MailSenderTest {
  @Test
  void backoff_doublesFromTheBase_upToAnHour() {
    Duration base = Duration.ofSeconds(30);

    assertEquals(Duration.ofSeconds(30), MailSender.backoff(base, 1));
    assertEquals(Duration.ofSeconds(60), MailSender.backoff(base, 2));
    assertEquals(Duration.ofSeconds(240), MailSender.backoff(base, 4));
    assertEquals(Duration.ofHours(1), MailSender.backoff(base, 12));
    assertEquals(Duration.ofHours(1), MailSender.backoff(base, 100));
  }

  @Test
  void classify_beforeTheConnection_retries_andAfterItReadsTheReplyCode() {
    MessagingException refused = new MessagingException("Connection refused");
    MessagingException busy =
        new SMTPSendFailedException("DATA", 451, "451 try later", null, null, null, null);
    MessagingException rejected =
        new SMTPSendFailedException("DATA", 554, "554 rejected", null, null, null, null);
    MessagingException wrapped = new MessagingException("send failed", busy);
    MessagingException broken = new MessagingException("Exception reading response");

    assertEquals(MailSender.Outcome.RETRY, MailSender.classify(refused, false));
    assertEquals(MailSender.Outcome.RETRY, MailSender.classify(busy, true));
    assertEquals(MailSender.Outcome.RETRY, MailSender.classify(wrapped, true));
    assertEquals(MailSender.Outcome.FAILED, MailSender.classify(rejected, true));
    assertEquals(MailSender.Outcome.UNCERTAIN, MailSender.classify(broken, true));
  }
}

-- "Vous avez dit, nous avons fait" (issue 11, decision 0038): what the town did with each question
-- and published idea of an event, written by staff. Every change is a new version: nothing is
-- overwritten, the public page shows the newest, the history keeps them all.
CREATE TABLE follow_ups (
  event_id VARCHAR(64) NOT NULL,
  kind VARCHAR(8) NOT NULL,
  ref VARCHAR(200) NOT NULL,
  version INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  body VARCHAR(4000) NOT NULL,
  reason VARCHAR(1000),
  milestones VARCHAR(8000) NOT NULL,
  changed_by VARCHAR(200) NOT NULL,
  changed_at BIGINT NOT NULL,
  CONSTRAINT follow_ups_pk PRIMARY KEY (event_id, kind, ref, version),
  CONSTRAINT follow_ups_kind CHECK (kind IN ('question', 'idea')),
  CONSTRAINT follow_ups_status CHECK (status IN ('under_study', 'adopted', 'done', 'not_adopted')),
  CONSTRAINT follow_ups_reason CHECK (status <> 'not_adopted' OR reason IS NOT NULL)
);

-- A wallet that gave an e-mail asked to be told about an event's follow-up. The token is the
-- unsubscribe link's secret (random, 32 bytes); unsubscribed_at set means no more mail.
CREATE TABLE follow_up_subscriptions (
  token VARCHAR(64) NOT NULL,
  wallet_id VARCHAR(40) NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  language VARCHAR(8) NOT NULL,
  subscribed_at BIGINT NOT NULL,
  unsubscribed_at BIGINT,
  CONSTRAINT follow_up_subscriptions_pk PRIMARY KEY (token),
  CONSTRAINT follow_up_subscriptions_one UNIQUE (wallet_id, event_id)
);
CREATE INDEX follow_up_subscriptions_event ON follow_up_subscriptions (event_id);

-- Mails to send, queued in the transaction of the change they tell about; the sender thread
-- moves each from queued to sending (committed before SMTP) to sent, or back to queued with a
-- later next_attempt_at when the SMTP server surely did not take it (decision 0038). Times are
-- epoch milliseconds (the retry waits are shorter than a second in tests).
CREATE TABLE mail_outbox (
  id BIGINT GENERATED ALWAYS AS IDENTITY,
  subscription VARCHAR(64) NOT NULL,
  recipient VARCHAR(254) NOT NULL,
  subject VARCHAR(300) NOT NULL,
  body VARCHAR(16000) NOT NULL,
  created_at BIGINT NOT NULL,
  state VARCHAR(10) NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  state_at BIGINT NOT NULL,
  last_error VARCHAR(500),
  CONSTRAINT mail_outbox_pk PRIMARY KEY (id),
  CONSTRAINT mail_outbox_state
    CHECK (state IN ('queued', 'sending', 'sent', 'dropped', 'failed', 'uncertain'))
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);

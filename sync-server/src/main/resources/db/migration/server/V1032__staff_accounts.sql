-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Staff accounts (issue 11, decision 0037): named accounts with a role, their sessions, their
-- bearer tokens for scripts, and the audit log of every admin action. Portable Derby/PostgreSQL:
-- times are epoch milliseconds set by the application; flags are SMALLINT 0/1.
--
-- password_hash is an Argon2id PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash) whose
-- parameters travel with it, so that they can be raised later. Session ids and tokens are never
-- stored: only the hex SHA-256 of each (they are 256-bit random values, a slow hash adds nothing).
-- No index of its own on the account columns: Derby backs each foreign key with one (and warns of
-- a duplicate); the tables hold a few rows per staff member.
CREATE TABLE staff_accounts (
  name VARCHAR(64) NOT NULL,
  role VARCHAR(16) NOT NULL,
  password_hash VARCHAR(200) NOT NULL,
  disabled SMALLINT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by VARCHAR(64) NOT NULL,
  changed_at BIGINT NOT NULL,
  CONSTRAINT staff_accounts_pk PRIMARY KEY (name),
  CONSTRAINT staff_accounts_role CHECK (role IN ('moderator', 'analyst', 'admin')),
  CONSTRAINT staff_accounts_disabled CHECK (disabled IN (0, 1))
);

-- A signed-in browser. Ending a session deletes its row: the cookie then matches nothing.
CREATE TABLE staff_sessions (
  id_hash VARCHAR(64) NOT NULL,
  account VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  address VARCHAR(64) NOT NULL,
  CONSTRAINT staff_sessions_pk PRIMARY KEY (id_hash),
  CONSTRAINT staff_sessions_account FOREIGN KEY (account) REFERENCES staff_accounts (name)
);

-- A bearer token of an account, for scripts; id is public (shown in lists), token_hash is not.
CREATE TABLE staff_tokens (
  id VARCHAR(16) NOT NULL,
  account VARCHAR(64) NOT NULL,
  token_hash VARCHAR(64) NOT NULL,
  label VARCHAR(100) NOT NULL,
  created_at BIGINT NOT NULL,
  created_by VARCHAR(64) NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT,
  CONSTRAINT staff_tokens_pk PRIMARY KEY (id),
  CONSTRAINT staff_tokens_hash UNIQUE (token_hash),
  CONSTRAINT staff_tokens_account FOREIGN KEY (account) REFERENCES staff_accounts (name)
);

-- Every admin action: who (an account, or the shared admin token), how, what, on what, from where.
CREATE TABLE staff_audit (
  id BIGINT GENERATED ALWAYS AS IDENTITY,
  at_millis BIGINT NOT NULL,
  actor VARCHAR(64) NOT NULL,
  via VARCHAR(16) NOT NULL,
  action VARCHAR(64) NOT NULL,
  target VARCHAR(300) NOT NULL,
  detail VARCHAR(1000) NOT NULL,
  address VARCHAR(64) NOT NULL,
  CONSTRAINT staff_audit_pk PRIMARY KEY (id)
);
CREATE INDEX staff_audit_by_time ON staff_audit (at_millis);

-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Briq tickets, wallets and the double-entry ledger (issue 4). Portable Derby/PostgreSQL: no
-- MERGE, rows created by INSERT (a unique violation, SQLState 23505, means another transaction
-- got there first), timestamps are epoch seconds set by the application.

-- The Ed25519 public key of each device, raw 32 bytes. A ticket issued after revoked_after
-- (epoch seconds) is refused.
CREATE TABLE device_keys (
  device_id VARCHAR(64) NOT NULL,
  public_key ${binary} NOT NULL,
  registered_at BIGINT NOT NULL,
  revoked_after BIGINT,
  CONSTRAINT device_keys_pk PRIMARY KEY (device_id)
);

-- Every ticket the server knows: from the TICKET records the kiosks synced (so that a typed short
-- code can be looked up), or from its first claim when the QR code arrived before the record.
CREATE TABLE tickets (
  device_id VARCHAR(64) NOT NULL,
  serial BIGINT NOT NULL,
  code VARCHAR(400) NOT NULL,
  short_code VARCHAR(12) NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  briqs INTEGER NOT NULL,
  golden SMALLINT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  claimed_by_wallet VARCHAR(40),
  claimed_at BIGINT,
  CONSTRAINT tickets_pk PRIMARY KEY (device_id, serial)
);
CREATE INDEX tickets_short_code ON tickets (short_code);

-- Anonymous wallets: the bearer token and the printable recovery code are kept as SHA-256 hex.
CREATE TABLE wallets (
  id VARCHAR(40) NOT NULL,
  token_hash VARCHAR(64) NOT NULL,
  recovery_code_hash VARCHAR(64) NOT NULL,
  email VARCHAR(254),
  created_at BIGINT NOT NULL,
  CONSTRAINT wallets_pk PRIMARY KEY (id),
  CONSTRAINT wallets_token_unique UNIQUE (token_hash),
  CONSTRAINT wallets_recovery_unique UNIQUE (recovery_code_hash)
);

-- Ledger accounts: the authority's pool (its balance goes negative by what it has given out),
-- citizens' wallets (never negative) and partners. balance is the sum of the account's entries,
-- kept in the transaction that writes them.
CREATE TABLE accounts (
  id VARCHAR(80) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  owner VARCHAR(64) NOT NULL,
  balance BIGINT NOT NULL,
  CONSTRAINT accounts_pk PRIMARY KEY (id),
  CONSTRAINT accounts_kind CHECK (kind IN ('authority', 'wallet', 'partner')),
  CONSTRAINT accounts_wallet_not_negative CHECK (kind <> 'wallet' OR balance >= 0)
);
INSERT INTO accounts (id, kind, owner, balance) VALUES ('pool', 'authority', 'authority', 0);

-- A ticket is claimed once: this primary key is the guarantee, under any concurrency and across
-- server instances. remaining is what is left of its briqs in the wallet (spent first in order of
-- expiry); at expires_at, what remains returns to the pool.
CREATE TABLE ticket_claims (
  device_id VARCHAR(64) NOT NULL,
  serial BIGINT NOT NULL,
  wallet_id VARCHAR(40) NOT NULL,
  briqs INTEGER NOT NULL,
  remaining INTEGER NOT NULL,
  expires_at BIGINT NOT NULL,
  claimed_at BIGINT NOT NULL,
  CONSTRAINT ticket_claims_pk PRIMARY KEY (device_id, serial),
  CONSTRAINT ticket_claims_remaining CHECK (remaining >= 0 AND remaining <= briqs)
);
CREATE INDEX ticket_claims_wallet ON ticket_claims (wallet_id, expires_at);
CREATE INDEX ticket_claims_expiry ON ticket_claims (expires_at);

-- Double entry: the rows of one transfer_id sum to 0.
CREATE TABLE ledger_entries (
  id BIGINT GENERATED ALWAYS AS IDENTITY,
  transfer_id VARCHAR(40) NOT NULL,
  account_id VARCHAR(80) NOT NULL,
  amount BIGINT NOT NULL,
  entry_at BIGINT NOT NULL,
  reason VARCHAR(16) NOT NULL,
  ticket_device VARCHAR(64),
  ticket_serial BIGINT,
  CONSTRAINT ledger_entries_pk PRIMARY KEY (id),
  CONSTRAINT ledger_entries_account FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT ledger_entries_reason CHECK (reason IN ('claim', 'spend', 'expiry'))
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id);
CREATE INDEX ledger_entries_transfer ON ledger_entries (transfer_id);

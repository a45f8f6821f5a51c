-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Claims without a hot row, partner spending, wallet spend codes and e-mail (issue 4).

-- The authority's pool no longer keeps its balance in its row: every claim used to update that
-- one row, which made all claims wait for each other. Its balance is the sum of its entries
-- (ledger_entries_account index); the row stays, at 0, for the foreign key of its entries.
-- Wallets and partners keep their balance in their row, updated with their entries.
UPDATE accounts SET balance = 0 WHERE kind = 'authority';

-- A spend code identifies a wallet to a partner's cashier (the QR code on the wallet page). It is
-- derived from the wallet's token, so the server keeps only its SHA-256.
ALTER TABLE wallets ADD COLUMN spend_code_hash VARCHAR(64);
ALTER TABLE wallets ADD CONSTRAINT wallets_spend_unique UNIQUE (spend_code_hash);
ALTER TABLE wallets ADD COLUMN email_at BIGINT;

-- One row per spend a partner confirmed: its request id (a random value in the confirm form) is
-- the primary key, so a form sent twice (a double tap, a reload) debits the wallet once.
CREATE TABLE spend_requests (
  request_id VARCHAR(40) NOT NULL,
  wallet_id VARCHAR(40) NOT NULL,
  partner_id VARCHAR(64) NOT NULL,
  amount BIGINT NOT NULL,
  balance_after BIGINT NOT NULL,
  spent_at BIGINT NOT NULL,
  CONSTRAINT spend_requests_pk PRIMARY KEY (request_id)
);
CREATE INDEX ledger_entries_ticket ON ledger_entries (ticket_device, ticket_serial);

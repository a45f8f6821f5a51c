-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A claim was written twice: its ticket_claims row (the primary key that makes a ticket credit
-- once, the briqs remaining, the expiry) and again in tickets.claimed_by_wallet / claimed_at, an
-- UPDATE of the ticket's row per claim that only the wallet's follow-up events read. ticket_claims
-- is now the only record of a claim (decision 0050); portable Derby/PostgreSQL.
--
-- Every claim wrote both in one transaction, so a claimed ticket row without its ticket_claims row
-- should not exist. Should one exist all the same (a hand edit), its claim is kept, with nothing
-- remaining to spend: the ticket stays claimed, by the same wallet, and no briqs appear that the
-- ledger never credited.
INSERT INTO ticket_claims (device_id, serial, wallet_id, briqs, remaining, expires_at, claimed_at)
SELECT t.device_id, t.serial, t.claimed_by_wallet, t.briqs, 0, t.expires_at,
  COALESCE(t.claimed_at, t.issued_at)
FROM tickets t
WHERE t.claimed_by_wallet IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM ticket_claims c WHERE c.device_id = t.device_id AND c.serial = t.serial);

ALTER TABLE tickets DROP COLUMN claimed_by_wallet;
ALTER TABLE tickets DROP COLUMN claimed_at;

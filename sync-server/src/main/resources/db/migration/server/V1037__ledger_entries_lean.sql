-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Every claim inserts two ledger_entries rows (pool and wallet legs), and each index of the table
-- costs a B-tree insert per row: with five of them the insert was a quarter of a claim's server
-- time (decision 0045). Three go; portable Derby/PostgreSQL.
--
-- ledger_entries_transfer (transfer_id, a random hex inserted all over its index) and
-- ledger_entries_ticket (ticket_device, ticket_serial) served only the ledger audit's GROUP BYs,
-- which read the whole table anyway (a sort instead of an index walk, on an admin's request).
--
-- The foreign key to accounts: Derby kept an index of its own on account_id beside
-- ledger_entries_account (account_id, id), and checked accounts' primary key per row; PostgreSQL
-- took a key-share lock on the pool's row for every claim. Ledger.transfer, the only writer of
-- entries, updates each non-pool account's row with its entry and refuses the transfer when no
-- row was updated; the pool's row is never deleted.
DROP INDEX ledger_entries_transfer;
DROP INDEX ledger_entries_ticket;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_account;

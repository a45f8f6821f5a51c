-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A synced ticket's signature is verified once at rest, when the server is idle, and the result is
-- kept on its row (decision 0054): NULL not checked yet (or its device was unknown then), 1 its
-- code verifies with one of its device's keys, 0 it does not. A claim whose code is the row's code
-- and finds 1 does not verify again; anything else verifies as before. No index: the checker reads
-- a device's rows by the primary key, and the ingest pays for no new index. Portable
-- Derby/PostgreSQL.
ALTER TABLE tickets ADD COLUMN signature_checked SMALLINT;

-- SPDX-License-Identifier: AGPL-3.0-or-later
-- A spend's request id is scoped to its partner (issue 12): the primary key of spend_requests is
-- (partner_id, request_id), so two partners' tills may pick the same id without one answering the
-- other's spend; ids grow to 64 characters, a UUID or a till's own numbering. Rows already there
-- are unique by request id alone, hence by the pair.
ALTER TABLE spend_requests DROP CONSTRAINT spend_requests_pk;
ALTER TABLE spend_requests ALTER COLUMN request_id SET DATA TYPE VARCHAR(64);
ALTER TABLE spend_requests ADD CONSTRAINT spend_requests_pk PRIMARY KEY (partner_id, request_id);

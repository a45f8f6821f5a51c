-- A migration of a later series (as the hub's V3001 or the server's V1022), for RetentionTest's
-- upgrade check: the core V2 must still apply to a database that already has it.
CREATE TABLE later_series (id INT NOT NULL PRIMARY KEY);

-- The outbox's own order, gap-free (1, 2, 3, …): a push names each command by it and the
-- server refuses a gap, so a desk resends from the last one the server applied. Given in
-- the transaction that writes the command; rows written before it take their write order.
ALTER TABLE outbox ADD COLUMN seq INTEGER;
UPDATE outbox SET seq = r.n
FROM (SELECT rowid AS id, row_number() OVER (ORDER BY rowid) AS n FROM outbox) AS r
WHERE r.id = outbox.rowid;
CREATE UNIQUE INDEX outbox_seq ON outbox(seq);

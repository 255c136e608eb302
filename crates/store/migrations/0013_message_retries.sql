-- Delivery that goes once and gives up: a message is claimed by the one delivery that sends
-- it (two loops never send it twice), a temporary failure waits before its next try, and a
-- refused or malformed one is given up with its reason (kept, shown, not retried).
ALTER TABLE messages ADD COLUMN claimed_at TEXT;
ALTER TABLE messages ADD COLUMN next_try_at TEXT;
ALTER TABLE messages ADD COLUMN gave_up INTEGER NOT NULL DEFAULT 0 CHECK (gave_up IN (0, 1));
CREATE INDEX messages_waiting ON messages (queued_at) WHERE sent_at IS NULL AND gave_up = 0;

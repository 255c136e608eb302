-- The desk's place in a region: which server, as which device, and how far its outbox has
-- been answered. One row, or none for a desk working alone.
CREATE TABLE region_link (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    server         TEXT NOT NULL,
    device         TEXT NOT NULL,
    joined_at      TEXT NOT NULL,
    -- The outbox's last number when the desk joined: the server numbers this device's
    -- commands from 1, the first made after joining.
    seq_base       INTEGER NOT NULL DEFAULT 0,
    -- The highest outbox number the server has answered: a push sends what follows.
    pushed_through INTEGER NOT NULL DEFAULT 0,
    last_push_at   TEXT,
    -- Why the last attempt did not reach the server; cleared by the next that does.
    last_error     TEXT
) STRICT;

-- What the server decided about each command of the outbox, kept beside it. A rejected one
-- stays listed until someone acknowledges it.
CREATE TABLE outcomes (
    seq             INTEGER PRIMARY KEY,
    command_id      TEXT NOT NULL UNIQUE REFERENCES outbox(command_id),
    verdict         TEXT NOT NULL CHECK (verdict IN ('applied', 'adjusted', 'rejected')),
    decision        TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT
) STRICT;
CREATE INDEX outcomes_unacknowledged ON outcomes(seq) WHERE verdict = 'rejected' AND acknowledged_at IS NULL;

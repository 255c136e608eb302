-- The last confirmation code per phone or address: a salted hash, never the code.
CREATE TABLE confirmation_codes (
    target    TEXT PRIMARY KEY,
    salt      TEXT NOT NULL,
    hash      TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    tries     INTEGER NOT NULL CHECK (tries >= 0),
    confirmed INTEGER NOT NULL
) STRICT;

-- Every SMS and e-mail, queued first and sent when a gateway takes it; a failure stays
-- visible with its reason and is retried. With no gateway configured, messages are
-- delivered here (the app's "sent messages" view), so the demo works offline.
CREATE TABLE messages (
    id         TEXT PRIMARY KEY,
    channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient  TEXT NOT NULL,
    subject    TEXT,
    body       TEXT NOT NULL,
    secret     INTEGER NOT NULL,
    queued_at  TEXT NOT NULL,
    sent_at    TEXT,
    via        TEXT,                 -- 'local', 'smtp', 'sms-http'
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
) STRICT;
CREATE INDEX messages_unsent ON messages(queued_at) WHERE sent_at IS NULL;
CREATE INDEX messages_recent ON messages(queued_at DESC);

-- Benefit proofs: JPEG bytes kept in the database itself, so a crash can never leave an
-- application naming a file that is not there, and a copy of the database is complete.
-- Content-addressed: the id is the SHA-256 of the bytes.
CREATE TABLE proofs (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,           -- the file name as chosen, for people
    size     INTEGER NOT NULL CHECK (size > 0),
    bytes    BLOB NOT NULL,
    added_at TEXT NOT NULL
) STRICT;

-- The application wizard's draft, one per operator: what was typed survives a closed app.
CREATE TABLE drafts (
    operator   TEXT PRIMARY KEY,
    body       TEXT NOT NULL,         -- the UI's JSON, opaque here
    updated_at TEXT NOT NULL
) STRICT;

-- Benefit verification reads pending claims in queue order.
CREATE INDEX applications_benefit_pending ON applications(registered_at)
    WHERE benefit_verification = 'pending' AND status = 'queued';

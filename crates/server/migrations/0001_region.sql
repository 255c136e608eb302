-- The region's server: offices and their people, devices, the command log with its
-- outcomes, the change log the desks pull, and the region's applications.

-- One per district department (scope: its district) and one per kindergarten (scope: it);
-- the regional office sees the whole region.
CREATE TABLE offices (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('region', 'district', 'kindergarten')),
    district TEXT,
    kindergarten UUID,
    -- The application numbers' series of this office (VKO, VKO-OSK, …).
    prefix TEXT NOT NULL UNIQUE,
    CHECK ((scope = 'district') = (district IS NOT NULL)),
    CHECK ((scope = 'kindergarten') = (kindergarten IS NOT NULL))
);

CREATE TABLE accounts (
    id UUID PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('regional_admin', 'department_operator', 'kindergarten_staff')),
    office UUID NOT NULL REFERENCES offices(id),
    active BOOLEAN NOT NULL DEFAULT TRUE
);

-- A desk, registered once; its refresh token is kept only as a SHA-256 hash.
CREATE TABLE devices (
    id UUID PRIMARY KEY,
    office UUID NOT NULL REFERENCES offices(id),
    name TEXT NOT NULL,
    refresh_hash TEXT NOT NULL,
    registered_at TIMESTAMPTZ NOT NULL,
    -- The last sequence number applied: the next push must start at last_seq + 1.
    last_seq BIGINT NOT NULL DEFAULT 0,
    -- When the device last pushed or pulled: its registration times are vouched for from here.
    last_sync TIMESTAMPTZ
);

-- Every command taken, with its outcome exactly as it was answered (byte for byte).
CREATE TABLE commands (
    device UUID NOT NULL REFERENCES devices(id),
    seq BIGINT NOT NULL,
    command_id UUID NOT NULL UNIQUE,
    author UUID NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (device, seq)
);

-- Numbers given at commit: one counter row serialises the commits that write changes, so a
-- change with a lower position is always committed before one with a higher (a pull never
-- skips a change committed late, as a plain sequence would).
CREATE TABLE counters (
    area TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (area, value) VALUES ('changes', 0);

CREATE TABLE changes (
    pos BIGINT PRIMARY KEY,
    entity TEXT NOT NULL,
    id UUID NOT NULL,
    -- Who may see it: the district and the kindergartens it concerns (NULL: everyone).
    district TEXT,
    kindergartens UUID[] NOT NULL DEFAULT '{}',
    body TEXT
);

-- The server's identity across restores: a restored database gets a new epoch, and every
-- desk's cursor from before it asks for a reset.
CREATE TABLE server_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO server_meta (key, value) VALUES ('epoch', gen_random_uuid()::text);

-- Application number series, one per office prefix and year.
CREATE TABLE number_series (
    prefix TEXT NOT NULL,
    year INT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE applications (
    id UUID PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    child_iin TEXT NOT NULL,
    status TEXT NOT NULL,
    registered_at TIMESTAMPTZ NOT NULL,
    district TEXT,
    kindergartens UUID[] NOT NULL,
    body JSONB NOT NULL
);
-- One live application per child in the region: the last word, below the core's own check.
CREATE UNIQUE INDEX one_live_application_per_child ON applications (child_iin) WHERE status IN ('queued', 'referred');
CREATE INDEX applications_queue ON applications (registered_at) WHERE status = 'queued';

CREATE TABLE kindergartens (
    id UUID PRIMARY KEY,
    district TEXT NOT NULL,
    body JSONB NOT NULL
);

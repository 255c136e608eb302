-- Places and who gets them: the groups and the vacancies kindergartens publish, the
-- region's offers and referrals, places leased to offices for work without a connection,
-- and the messages the server sends to parents (each once).

-- The queue's order on the server: category (birth year) and benefit tier beside the time;
-- the language of groups asked for, which a round reads for every candidate.
ALTER TABLE applications ADD COLUMN category INT, ADD COLUMN tier TEXT, ADD COLUMN language TEXT;
UPDATE applications SET language = body->>'language';
-- Ranks are counted from the index alone (the id included); who names a kindergarten with a
-- place is found through the GIN index.
CREATE INDEX applications_rank ON applications (category, tier, registered_at, number) INCLUDE (id) WHERE status IN ('queued', 'referred');
-- Who names which kindergarten, as rows: a round finds everyone who names a kindergarten with
-- a place by index (an array overlap against thousands of places is a scan of the queue).
CREATE TABLE application_choices (
    kindergarten UUID NOT NULL,
    application UUID NOT NULL REFERENCES applications(id),
    PRIMARY KEY (kindergarten, application)
);
CREATE INDEX application_choices_by_application ON application_choices (application);
INSERT INTO application_choices (kindergarten, application) SELECT DISTINCT unnest(kindergartens), id FROM applications;

CREATE TABLE groups (
    id UUID PRIMARY KEY,
    kindergarten UUID NOT NULL REFERENCES kindergartens(id),
    capacity INT NOT NULL CHECK (capacity > 0),
    -- G4: enrolled never above capacity, whatever a decision does.
    enrolled INT NOT NULL CHECK (enrolled >= 0 AND enrolled <= capacity),
    body JSONB NOT NULL
);

CREATE TABLE vacancies (
    id UUID PRIMARY KEY,
    kindergarten UUID NOT NULL REFERENCES kindergartens(id),
    grp UUID NOT NULL REFERENCES groups(id),
    district TEXT NOT NULL,
    count INT NOT NULL CHECK (count > 0),
    -- Places neither referred nor set aside in a lease.
    open INT NOT NULL CHECK (open >= 0 AND open <= count),
    published_on DATE NOT NULL,
    -- The open places when a round last considered it (more than that were left to nobody).
    rounded_open INT,
    body JSONB NOT NULL
);

CREATE TABLE offers (
    id UUID PRIMARY KEY,
    application UUID NOT NULL REFERENCES applications(id),
    vacancy UUID NOT NULL REFERENCES vacancies(id),
    district TEXT,
    kindergartens UUID[] NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'taken', 'passed', 'void')),
    offered_on DATE NOT NULL,
    respond_by DATE NOT NULL,
    ended_on DATE,
    body JSONB NOT NULL
);
CREATE UNIQUE INDEX one_open_offer_per_application ON offers (application) WHERE status = 'open';
CREATE INDEX offers_open_by_vacancy ON offers (vacancy) WHERE status = 'open';

CREATE TABLE leases (
    id UUID PRIMARY KEY,
    office UUID NOT NULL REFERENCES offices(id),
    vacancy UUID NOT NULL REFERENCES vacancies(id),
    -- Seen by the office's district (a kindergarten's office never holds one).
    district TEXT,
    kindergartens UUID[] NOT NULL DEFAULT '{}',
    places INT NOT NULL CHECK (places > 0),
    used INT NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= places),
    granted_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ,
    body JSONB NOT NULL
);
CREATE INDEX leases_running ON leases (expires_at) WHERE ended_at IS NULL;

CREATE TABLE referrals (
    id UUID PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    application UUID NOT NULL REFERENCES applications(id),
    vacancy UUID NOT NULL REFERENCES vacancies(id),
    lease UUID REFERENCES leases(id),
    district TEXT,
    kindergartens UUID[] NOT NULL,
    -- Which of the vacancy's places it holds (0 … count - 1).
    slot INT NOT NULL CHECK (slot >= 0),
    status TEXT NOT NULL,
    body JSONB NOT NULL
);
-- G4, the last word below the core: a place is held by one live referral, an application
-- has one live referral.
CREATE UNIQUE INDEX one_live_referral_per_place ON referrals (vacancy, slot) WHERE status IN ('issued', 'confirmed', 'extended', 'admitted');
CREATE UNIQUE INDEX one_live_referral_per_application ON referrals (application) WHERE status IN ('issued', 'confirmed', 'extended');

-- What the server tells parents, each message once: its key names what it is about (an
-- offer, a referral), so a decision taken twice cannot queue it twice, and a sender takes a
-- message with SKIP LOCKED, so two server processes never send it twice.
CREATE TABLE notifications (
    id UUID PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    sent_at TIMESTAMPTZ,
    via TEXT,
    last_error TEXT
);
CREATE INDEX notifications_unsent ON notifications (created_at) WHERE sent_at IS NULL;

-- The region's working-day calendar beside the code's holidays: transferred days, and the
-- first day of Kurban ait as the government announces it.
-- Each row's id is derived from what it is about (a UUIDv5 of `day:<date>` or
-- `kurban_ait:<year>`), so the desks' copies have one key.
CREATE TABLE calendar_days (
    date DATE PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('working', 'day_off'))
);
CREATE TABLE kurban_ait (
    year INT PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    first_day DATE NOT NULL
);
-- The calendar as desks receive it: one entity, both kinds of entry.
CREATE VIEW calendar AS
    SELECT id, jsonb_build_object('date', date, 'kind', kind) AS body FROM calendar_days
    UNION ALL SELECT id, jsonb_build_object('year', year, 'kurban_ait', first_day) AS body FROM kurban_ait;

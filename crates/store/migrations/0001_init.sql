-- Baqsha's local database, version 1.
-- Times are RFC 3339 UTC text of fixed width, so text order is time order.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE districts (
    code    TEXT PRIMARY KEY,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    lat     REAL NOT NULL,
    lon     REAL NOT NULL
) STRICT;

CREATE TABLE kindergartens (
    id              TEXT PRIMARY KEY,
    name_kk         TEXT NOT NULL,
    name_ru         TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('state', 'private_state_order', 'private')),
    district        TEXT NOT NULL REFERENCES districts(code),
    address_kk      TEXT NOT NULL,
    address_ru      TEXT NOT NULL,
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    head            TEXT NOT NULL,
    phone           TEXT,
    email           TEXT,
    hours           TEXT NOT NULL,
    programmes      TEXT NOT NULL,  -- JSON array of text
    equipment       TEXT NOT NULL,  -- JSON array of text
    design_capacity INTEGER NOT NULL CHECK (design_capacity >= 0),
    -- its row in kindergarten_text (stable, unlike an implicit rowid across VACUUM)
    search_rowid    INTEGER NOT NULL UNIQUE,
    -- baqsha_core::text::sort_key of each name: binary order is Kazakh alphabetical order
    sort_kk         TEXT NOT NULL,
    sort_ru         TEXT NOT NULL,
    -- published places still open: kept by the triggers on vacancies, never by hand
    free_places     INTEGER NOT NULL DEFAULT 0 CHECK (free_places >= 0)
) STRICT;
-- One index per sort of the list, so a page is read in order instead of sorted.
CREATE INDEX kindergartens_sort_kk ON kindergartens(sort_kk, id);
CREATE INDEX kindergartens_sort_ru ON kindergartens(sort_ru, id);
CREATE INDEX kindergartens_district_kk ON kindergartens(district, sort_kk, id);
CREATE INDEX kindergartens_district_ru ON kindergartens(district, sort_ru, id);
CREATE INDEX kindergartens_free_kk ON kindergartens(free_places DESC, sort_kk, id);
CREATE INDEX kindergartens_free_ru ON kindergartens(free_places DESC, sort_ru, id);

-- Names and addresses in both languages, folded by baqsha_core::text::fold: a narrow table
-- that a short typed word scans quickly, and the content of the trigram index that answers
-- words of three letters or more.
CREATE TABLE kindergarten_text (
    search_rowid INTEGER PRIMARY KEY,
    text         TEXT NOT NULL
) STRICT;
CREATE VIRTUAL TABLE kindergarten_search USING fts5(
    text, content = 'kindergarten_text', content_rowid = 'search_rowid', tokenize = 'trigram case_sensitive 1'
);
-- One or two typed letters are the start of a word («б», «12»): a word index with prefix
-- indexes answers them without a scan.
CREATE VIRTUAL TABLE kindergarten_words USING fts5(
    text, content = 'kindergarten_text', content_rowid = 'search_rowid',
    tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2'
);

CREATE TABLE groups (
    id             TEXT PRIMARY KEY,
    kindergarten   TEXT NOT NULL REFERENCES kindergartens(id),
    name           TEXT NOT NULL,
    age_from       INTEGER NOT NULL,
    age_to         INTEGER NOT NULL CHECK (age_to > age_from),
    language       TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'mixed')),
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    enrolled       INTEGER NOT NULL CHECK (enrolled >= 0 AND enrolled <= capacity)
) STRICT;
CREATE INDEX groups_kindergarten ON groups(kindergarten, language);

CREATE TABLE vacancies (
    id             TEXT PRIMARY KEY,
    kindergarten   TEXT NOT NULL REFERENCES kindergartens(id),
    grp            TEXT NOT NULL REFERENCES groups(id),
    count          INTEGER NOT NULL CHECK (count > 0),
    -- places of this publication not yet held by a referral
    open           INTEGER NOT NULL CHECK (open >= 0 AND open <= count),
    published_on   TEXT NOT NULL
) STRICT;
CREATE INDEX vacancies_kindergarten ON vacancies(kindergarten);
CREATE TRIGGER vacancies_free_insert AFTER INSERT ON vacancies BEGIN
    UPDATE kindergartens SET free_places = free_places + NEW.open WHERE id = NEW.kindergarten;
END;
CREATE TRIGGER vacancies_free_update AFTER UPDATE OF open ON vacancies BEGIN
    UPDATE kindergartens SET free_places = free_places + NEW.open - OLD.open WHERE id = NEW.kindergarten;
END;
CREATE TRIGGER vacancies_free_delete AFTER DELETE ON vacancies BEGIN
    UPDATE kindergartens SET free_places = free_places - OLD.open WHERE id = OLD.kindergarten;
END;
CREATE INDEX vacancies_group ON vacancies(grp);
CREATE INDEX vacancies_date ON vacancies(published_on);

CREATE TABLE applications (
    id                   TEXT PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE,
    child_iin            TEXT NOT NULL,
    child_surname        TEXT NOT NULL,
    child_given_name     TEXT NOT NULL,
    child_patronymic     TEXT,
    child_verified       INTEGER NOT NULL,
    category             INTEGER NOT NULL,          -- the child's birth year
    parent_iin           TEXT NOT NULL,
    parent_surname       TEXT NOT NULL,
    parent_given_name    TEXT NOT NULL,
    parent_patronymic    TEXT,
    parent_verified      INTEGER NOT NULL,
    phone                TEXT NOT NULL,
    extra_phone          TEXT,
    email                TEXT,
    address              TEXT NOT NULL,
    language             TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'mixed')),
    benefit_kind         TEXT,
    benefit_verification TEXT CHECK (benefit_verification IN ('pending', 'confirmed', 'rejected')),
    benefit_proofs       TEXT,                       -- JSON array of file names
    tier                 TEXT NOT NULL CHECK (tier IN ('out_of_turn', 'priority', 'general')),
    consent              INTEGER NOT NULL,
    registered_at        TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('queued', 'referred', 'enrolled', 'withdrawn', 'archived')),
    district             TEXT                        -- of the first preference, for filters
) STRICT;
-- One active application per child, whatever any code path forgets.
CREATE UNIQUE INDEX applications_one_active_per_child
    ON applications(child_iin) WHERE status IN ('queued', 'referred');
CREATE INDEX applications_queue
    ON applications(category, tier, registered_at, number) WHERE status IN ('queued', 'referred');
CREATE INDEX applications_child ON applications(child_iin);

CREATE TABLE application_preferences (
    application  TEXT NOT NULL REFERENCES applications(id),
    rank         INTEGER NOT NULL,
    kindergarten TEXT NOT NULL REFERENCES kindergartens(id),
    PRIMARY KEY (application, rank)
) STRICT, WITHOUT ROWID;
CREATE INDEX application_preferences_kindergarten ON application_preferences(kindergarten, rank);

CREATE TABLE referrals (
    id           TEXT PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    application  TEXT NOT NULL REFERENCES applications(id),
    vacancy      TEXT NOT NULL REFERENCES vacancies(id),
    kindergarten TEXT NOT NULL REFERENCES kindergartens(id),
    grp          TEXT NOT NULL REFERENCES groups(id),
    slot         INTEGER NOT NULL,                  -- which of the vacancy's places
    issued_at    TEXT NOT NULL,
    confirm_by   TEXT NOT NULL,
    valid_until  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('issued', 'confirmed', 'extended', 'admitted', 'expired', 'refused'))
) STRICT;
-- A place is never held by two live referrals; an application never has two.
CREATE UNIQUE INDEX referrals_one_per_place
    ON referrals(vacancy, slot) WHERE status IN ('issued', 'confirmed', 'extended');
CREATE UNIQUE INDEX referrals_one_per_application
    ON referrals(application) WHERE status IN ('issued', 'confirmed', 'extended');

CREATE TABLE calendar_days (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('working', 'day_off'))
) STRICT;

CREATE TABLE operators (
    id            TEXT PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('regional_admin', 'department_operator', 'kindergarten_staff')),
    kindergarten  TEXT REFERENCES kindergartens(id),
    password_hash TEXT NOT NULL,                    -- argon2id PHC string
    active        INTEGER NOT NULL DEFAULT 1,
    CHECK ((role = 'kindergarten_staff') = (kindergarten IS NOT NULL))
) STRICT;

-- Every command applied, in order; each entry carries the hash of the one before.
CREATE TABLE history (
    seq          INTEGER PRIMARY KEY,
    command_id   TEXT NOT NULL UNIQUE,
    at           TEXT NOT NULL,
    author       TEXT NOT NULL,
    device       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    application  TEXT,
    kindergarten TEXT,
    body         TEXT NOT NULL,                     -- the command as JSON
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
) STRICT;
CREATE INDEX history_application ON history(application) WHERE application IS NOT NULL;
CREATE INDEX history_kindergarten ON history(kindergarten) WHERE kindergarten IS NOT NULL;
CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- What the sync will send: one row per command, written in the command's transaction.
CREATE TABLE outbox (
    command_id TEXT PRIMARY KEY REFERENCES history(command_id),
    queued_at  TEXT NOT NULL,
    sent_at    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
) STRICT;
CREATE INDEX outbox_unsent ON outbox(queued_at) WHERE sent_at IS NULL;

-- What the person registry answered for an IIN looked up at this desk, so a name submitted
-- as «verified» is checked against it — also after the app was closed with the wizard's
-- draft open. Local to the desk, never synced; forgotten after a day.
CREATE TABLE person_lookups (
    iin        TEXT PRIMARY KEY,
    surname    TEXT NOT NULL,
    given_name TEXT NOT NULL,
    patronymic TEXT,
    at         TEXT NOT NULL
) STRICT;

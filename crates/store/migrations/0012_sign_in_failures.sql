-- Failed sign-ins on this desk, for the wait after too many (`core::signin`): the login as
-- typed (folded to lower case; unknown logins too, so a wait tells nothing of who exists)
-- and when. Local to the desk, never synced; forgotten once older than the window.
CREATE TABLE sign_in_failures (
    login TEXT NOT NULL,
    at    TEXT NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_login ON sign_in_failures (login, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);

-- Places and referrals (issue 5): whose turn has come for which place, how referrals end,
-- and the stop-list after a refusal.

-- An offer: a published place offered to the application whose turn it is. The applicant has
-- until `respond_by` (2 working days) to take a referral; one who does not lets the turn pass
-- (status 'passed'): the place goes to the next, the queue place is kept.
CREATE TABLE offers (
    id                INTEGER PRIMARY KEY,
    vacancy           TEXT NOT NULL REFERENCES vacancies(id),
    application       TEXT NOT NULL REFERENCES applications(id),
    number            TEXT NOT NULL,          -- the application's, for the bulletin's explanation
    position          INTEGER NOT NULL,       -- in its category when offered
    preference_rank   INTEGER NOT NULL,       -- 0 = the first preference
    ahead_not_offered INTEGER NOT NULL,       -- ahead in the queue and not offered this place
    offered_on        TEXT NOT NULL,
    respond_by        TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'taken', 'passed', 'void')),
    ended_on          TEXT
) STRICT;
-- One live offer per application, whatever a round computes.
CREATE UNIQUE INDEX offers_one_open_per_application ON offers(application) WHERE status = 'open';
CREATE INDEX offers_open_by_vacancy ON offers(vacancy) WHERE status = 'open';
CREATE INDEX offers_passed ON offers(vacancy, application) WHERE status = 'passed';

-- The day a referral ended (admitted, expired, refused): the statistics' period.
ALTER TABLE referrals ADD COLUMN ended_on TEXT;
CREATE INDEX referrals_live_until ON referrals(valid_until) WHERE status IN ('issued', 'confirmed', 'extended');
CREATE INDEX referrals_issued_at ON referrals(issued_at);
CREATE INDEX referrals_kindergarten ON referrals(kindergarten, issued_at);

-- After a refusal, no place is offered until `until` (the setting stop_list_days; off by default).
CREATE TABLE stop_list (
    application TEXT PRIMARY KEY REFERENCES applications(id),
    until       TEXT NOT NULL
) STRICT;

-- Offering reads its candidates (queued applications naming kindergartens with places) from
-- this index alone instead of visiting each table row: 1,000 places nationally in under 1 s.
CREATE INDEX applications_offer ON applications(id, number, child_iin, language) WHERE status = 'queued';

-- Leases this desk asked the region for: places of a vacancy set aside for its office, to give
-- referrals from while the line is down. The lease as granted is kept here; the mirror holds
-- it as the region has it now (places used, taken back).
CREATE TABLE leases_asked (
    id       TEXT PRIMARY KEY,
    vacancy  TEXT NOT NULL,
    granted  TEXT NOT NULL,
    asked_at TEXT NOT NULL
) STRICT;

-- A referral given from a lease names it: until the region holds the referral, it counts
-- against the lease here.
ALTER TABLE referrals ADD COLUMN lease TEXT;

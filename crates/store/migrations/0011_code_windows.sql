-- A contact's codes are counted per hour from its first one, and its wrong tries across all
-- of them: a resend no longer gives a guesser five more tries.
ALTER TABLE confirmation_codes ADD COLUMN window_from TEXT;
ALTER TABLE confirmation_codes ADD COLUMN sent INTEGER NOT NULL DEFAULT 1 CHECK (sent >= 0);

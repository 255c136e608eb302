-- Accounts an administrator manages: a password set by the administrator (new account,
-- reset) must be changed by its owner at the next sign-in.
ALTER TABLE operators ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1));

-- The scope a device's desk holds: the one its last snapshot was taken in. A desk whose
-- office's scope is no longer that one (its operator and desk moved to another office) is
-- asked for a reset at its next pull: its old scope's rows leave it, the new one's come (G8).
ALTER TABLE devices ADD COLUMN scope TEXT;

-- Active applications per category, tier and registration day (desk days are UTC days
-- shifted by 5 hours; any fixed day boundary works here, UTC's is used). A position's rank
-- in its tier is then the sum over earlier days (a few thousand rows at most) plus a count
-- within its own day, instead of counting up to 100,000 index entries.
CREATE TABLE queue_day_counts (
    category INTEGER NOT NULL,
    tier     TEXT NOT NULL,
    day      TEXT NOT NULL,
    n        INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (category, tier, day)
) STRICT, WITHOUT ROWID;
INSERT INTO queue_day_counts (category, tier, day, n)
    SELECT category, tier, substr(registered_at, 1, 10), count(*) FROM applications
    WHERE status IN ('queued', 'referred') GROUP BY category, tier, substr(registered_at, 1, 10);

CREATE TRIGGER queue_day_counts_insert AFTER INSERT ON applications WHEN NEW.status IN ('queued', 'referred') BEGIN
    INSERT INTO queue_day_counts (category, tier, day, n) VALUES (NEW.category, NEW.tier, substr(NEW.registered_at, 1, 10), 1)
        ON CONFLICT (category, tier, day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER queue_day_counts_leave AFTER UPDATE OF status, tier, category, registered_at ON applications
WHEN OLD.status IN ('queued', 'referred') BEGIN
    UPDATE queue_day_counts SET n = n - 1
        WHERE category = OLD.category AND tier = OLD.tier AND day = substr(OLD.registered_at, 1, 10);
END;
CREATE TRIGGER queue_day_counts_enter AFTER UPDATE OF status, tier, category, registered_at ON applications
WHEN NEW.status IN ('queued', 'referred') BEGIN
    INSERT INTO queue_day_counts (category, tier, day, n) VALUES (NEW.category, NEW.tier, substr(NEW.registered_at, 1, 10), 1)
        ON CONFLICT (category, tier, day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER queue_day_counts_delete AFTER DELETE ON applications WHEN OLD.status IN ('queued', 'referred') BEGIN
    UPDATE queue_day_counts SET n = n - 1
        WHERE category = OLD.category AND tier = OLD.tier AND day = substr(OLD.registered_at, 1, 10);
END;

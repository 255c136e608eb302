-- The first day of Kurban ait per year as the administrator entered it (over the dates the
-- code knows): a year without it refuses every deadline, so it must be enterable here.
CREATE TABLE kurban_ait (
    year INTEGER PRIMARY KEY,
    first_day TEXT NOT NULL
);

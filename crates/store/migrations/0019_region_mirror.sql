-- What the region's server holds in this desk's scope, each entity as the server last sent it
-- (its JSON, unparsed). The desk's own tables are written from it in the same transaction;
-- a change the server rejected is undone by writing its entities back from here, and the
-- scope's checksums are computed over it.
CREATE TABLE mirror (
    entity TEXT NOT NULL,
    id     TEXT NOT NULL,
    body   TEXT NOT NULL,
    PRIMARY KEY (entity, id)
) STRICT, WITHOUT ROWID;

-- Where the desk stands in the server's change log, and how far a first sync has come.
ALTER TABLE region_link ADD COLUMN epoch TEXT;
ALTER TABLE region_link ADD COLUMN cursor INTEGER;
ALTER TABLE region_link ADD COLUMN last_pull_at TEXT;
-- A first sync under way: the change-log position it was taken at and the last row applied
-- (JSON of {entity, id}); both NULL once it completed.
ALTER TABLE region_link ADD COLUMN snapshot_position INTEGER;
ALTER TABLE region_link ADD COLUMN snapshot_after TEXT;
ALTER TABLE region_link ADD COLUMN snapshot_rows INTEGER NOT NULL DEFAULT 0;

-- An offer the server made carries the server's id.
ALTER TABLE offers ADD COLUMN region_id TEXT;
CREATE UNIQUE INDEX offers_region_id ON offers(region_id) WHERE region_id IS NOT NULL;

-- What the desk undid of a change the server rejected (JSON list of entities written back
-- from the server's truth or removed), and when.
ALTER TABLE outcomes ADD COLUMN undone TEXT;
ALTER TABLE outcomes ADD COLUMN undone_at TEXT;

-- A round reads the region's queue once, in queue order, from one index: the ranks come from
-- the order itself and the candidates' few columns ride along (the status keeps only the
-- queued among those ranked). It replaces the two indexes the round used to read in turn.
DROP INDEX applications_rank;
DROP INDEX applications_candidates;
CREATE INDEX applications_queue_order ON applications (category, tier, registered_at, number)
    INCLUDE (id, status, child_iin, language, kindergartens) WHERE status IN ('queued', 'referred');

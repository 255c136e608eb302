-- Commands the server failed on (a fault, not a refusal): how often and why. After a few
-- tries the command is kept with a quarantined outcome, so a desk never retries it forever.
CREATE TABLE failures (
    device UUID NOT NULL REFERENCES devices(id),
    seq BIGINT NOT NULL,
    attempts INT NOT NULL,
    last_error TEXT NOT NULL,
    last_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (device, seq)
);

-- A round reads the queue from indexes alone: the ranks (with the status, to keep only the
-- queued among those ranked), and the candidates' few columns.
DROP INDEX applications_rank;
CREATE INDEX applications_rank ON applications (category, tier, registered_at, number) INCLUDE (id, status) WHERE status IN ('queued', 'referred');
CREATE INDEX applications_candidates ON applications (id) INCLUDE (child_iin, category, tier, language, kindergartens) WHERE status = 'queued';

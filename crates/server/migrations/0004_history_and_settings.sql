-- The region's history of each application (what was decided, when, by whom), the region's
-- settings, and the stop-list a refusal may put an application on.
CREATE TABLE history (
    id UUID PRIMARY KEY,
    application UUID NOT NULL,
    -- Seen as the application is.
    district TEXT,
    kindergartens UUID[] NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    body JSONB NOT NULL
);
CREATE INDEX history_by_application ON history (application, at);

-- One row: what a refusal does and the summer pause of publication.
CREATE TABLE region_settings (
    id UUID PRIMARY KEY,
    body JSONB NOT NULL
);

CREATE TABLE stop_list (
    application UUID PRIMARY KEY REFERENCES applications(id),
    until DATE NOT NULL
);

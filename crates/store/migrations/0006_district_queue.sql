-- A district's applications of one tier in queue order, read directly: a filtered page of
-- the public queue reads only the lines it shows and their ranks, not the whole tier up to
-- them (district page 10 of the national dataset's largest category took 66 ms that way).
CREATE INDEX applications_district_queue
    ON applications(category, tier, district, registered_at, number) WHERE status IN ('queued', 'referred');

-- How far a desk's own numbering had got when it reached the server: every command it
-- numbers after `made` was made after `at` (the server's time). A registration time is
-- vouched for from the latest such point before that command, so a wrong desk clock moves
-- nobody ahead, and a week of offline registrations sent in one batch keep their own times.
CREATE TABLE device_vouches (
    device UUID NOT NULL REFERENCES devices(id),
    made BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (device, made)
);

-- What was known before: a device had made no more than it had pushed when it last synced.
INSERT INTO device_vouches (device, made, at) SELECT id, last_seq, coalesce(last_sync, registered_at) FROM devices;

-- When the device's last command was made, as the server vouched for it: a device makes its
-- commands in order, so the next one was made no earlier (a clock set back moves it nowhere).
ALTER TABLE devices ADD COLUMN made_at TIMESTAMPTZ;

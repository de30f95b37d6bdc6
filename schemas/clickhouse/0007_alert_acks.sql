-- Acknowledgements of anomaly alerts, written by the query API when an admin acknowledges
-- an alert. One row per acknowledgement; acknowledging again adds a row with a later
-- acknowledged_at_ms. ReplacingMergeTree keyed by alert_id with acknowledged_at_ms as the
-- version keeps the latest one per alert once parts merge, but only inside one month
-- partition, so readers pick the latest with argMax(…, acknowledged_at_ms) GROUP BY
-- alert_id rather than relying on FINAL.
--
-- Conventions for the writer:
-- - acknowledged_at_ms is epoch milliseconds; acknowledged_at is the same time in whole
--   seconds, UTC, and picks the partition.
-- - acknowledged_by is the caller's key id or JWT subject, never a secret.
-- - note is '' when the caller gave none.
CREATE TABLE IF NOT EXISTS {{database}}.alert_acks
(
    alert_id String,
    acknowledged_at DateTime('UTC'),
    acknowledged_at_ms UInt64,
    acknowledged_by String,
    note String
)
ENGINE = ReplacingMergeTree(acknowledged_at_ms)
PARTITION BY toYYYYMM(acknowledged_at)
ORDER BY alert_id
SETTINGS index_granularity = 8192;

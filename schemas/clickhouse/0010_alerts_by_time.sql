-- The alerts of `alerts`, sorted by time for the API's alert list. `alerts` is sorted by
-- alert_id, so a list of one week decodes every alert of every week. Here the list's time
-- window selects a range of the sorting key, and the reads stay inside it, FINAL included.
-- Lookups by id stay on `alerts`.
--
-- The key starts with window_start_ms, the start of the alert's aggregation window, which
-- the alert id is derived from, so it is the same in every version of an alert. first_seen
-- can move earlier when a late event joins the alert, so it cannot be in the key. The
-- analyzer's window is at most one day and first_seen lies inside it, so a list of alerts
-- first seen from T reads window starts from T minus one day. created_at_ms keeps the latest
-- version. A row added twice collapses like a redelivered one, so the view is created before
-- the backfill below (no gap), and a repeated backfill changes nothing.
CREATE TABLE IF NOT EXISTS {{database}}.alerts_by_time
(
    alert_id String,
    dedupe_key String,
    rule_id {{low_cardinality String}},
    rule_name String,
    severity {{low_cardinality String}},
    provider {{low_cardinality String}},
    account_id String,
    principal_id String,
    principal_type {{low_cardinality String}},
    principal_name String,
    title String,
    description String,
    mitre_techniques Array(String),
    window_start_ms UInt64,
    first_seen_ms UInt64,
    last_seen_ms UInt64,
    first_seen DateTime('UTC'),
    event_count UInt64,
    evidence_event_ids Array(String),
    source_ips Array(String),
    details String,
    created_at_ms UInt64,
    schema_version UInt16
)
ENGINE = ReplacingMergeTree(created_at_ms)
PARTITION BY toYYYYMM(first_seen)
ORDER BY (window_start_ms, alert_id)
SETTINGS index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.alerts_by_time_mv
TO {{database}}.alerts_by_time
AS SELECT * FROM {{database}}.alerts;

INSERT INTO {{database}}.alerts_by_time SELECT * FROM {{database}}.alerts;

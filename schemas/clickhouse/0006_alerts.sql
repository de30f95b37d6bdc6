-- Anomaly alerts: one row per alert version, written by the analyzer-anomaly service. An
-- alert is written again with a higher event_count while its aggregation window is open,
-- and redelivered Kafka batches write the same version twice, so the table is a
-- ReplacingMergeTree keyed by alert_id with created_at_ms as the version: after merges (or
-- with FINAL) only the latest version of each alert remains.
--
-- Conventions for the writer:
-- - times are the Alert's epoch milliseconds; first_seen also as DateTime for partitioning.
-- - details is the JSON text of Alert.details (18.16 has no Map type).
CREATE TABLE IF NOT EXISTS {{database}}.alerts
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
ORDER BY alert_id
SETTINGS index_granularity = 8192;

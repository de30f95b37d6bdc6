-- One row per provider event, the NormalizedEvent of the event schema in snake_case.
-- ReplacingMergeTree keeps one row per sorting key, and the key ends with event_id, so an
-- event delivered twice (at-least-once ingest, a retried INSERT) collapses into one row
-- when parts merge. Read with FINAL, or GROUP BY event_id, where duplicates must not count.
-- The version column, ingest_time, keeps the most recently ingested copy.
--
-- Conventions for the writer:
-- - event_time is whole seconds in UTC; event_time_ms keeps the milliseconds.
-- - mfa and read_only are -1 (unknown), 0 (no) or 1 (yes).
-- - phase is the Azure operation phase in lower case (started, accepted, succeeded,
--   failed, canceled); other providers write ''.
-- - Missing text is '', never NULL: no column is Nullable, so an Avro null and an empty
--   string read back the same.
-- - session_issued_at_ms is 0 when the record gives no session start.
-- - resources and resource_types are parallel arrays: the id and type ('' when unknown) of
--   each Resource, in the event's order.
-- - Nested Avro records are flattened with their field name as prefix (principal.id is
--   principal_id, action.mapping is mapping); action.service and action.operation keep
--   their short names service and operation.
CREATE TABLE IF NOT EXISTS {{database}}.events
(
    event_id String,
    provider {{low_cardinality String}},
    event_time DateTime('UTC'),
    event_time_ms UInt64,
    ingest_time DateTime('UTC'),
    schema_version UInt16,
    log_type {{low_cardinality String}},
    account_id String,
    tenant_id String,
    region {{low_cardinality String}},
    principal_id String,
    principal_type {{low_cardinality String}},
    principal_name String,
    session_id String,
    session_name String,
    session_source_identity String,
    session_issued_at_ms UInt64,
    session_chain Array(String),
    actor String,
    access_key_id String,
    mfa Int8,
    service {{low_cardinality String}},
    operation String,
    permissions Array(String),
    mapping {{low_cardinality String}},
    visibility {{low_cardinality String}},
    read_only Int8,
    category {{low_cardinality String}},
    resources Array(String),
    resource_types Array(String),
    outcome {{low_cardinality String}},
    error_code String,
    error_message String,
    source_ip String,
    user_agent String,
    via_service String,
    vpc_endpoint String,
    phase {{low_cardinality String}},
    correlation_id String,
    raw_ref String
)
ENGINE = ReplacingMergeTree(ingest_time)
PARTITION BY toYYYYMM(event_time)
ORDER BY (provider, account_id, principal_id, event_time, event_id)
SETTINGS index_granularity = 8192;

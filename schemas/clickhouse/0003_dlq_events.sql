-- Records that a stage could not process, copied from the dead-letter topic so that
-- operators can query them. dedupe_key identifies the dead-letter record (for example
-- topic/partition/offset of the dead-letter message), so a record copied twice collapses
-- into one row when parts merge. dead_lettered_at must come from the record itself, not
-- from the clock of the copying process: rows only deduplicate within one month partition.
-- payload contains the original bytes as text; payload_encoding is 'utf8', or 'base64' for
-- bytes that are not valid UTF-8. A writer may keep only the head of a large payload:
-- payload_bytes is the size of the original and payload_truncated is 1 when the head is
-- all that is stored (the whole record stays in the dead-letter topic).
-- provider, reason and field describe a record the normalizer rejected (reason is one of
-- the NormalizationError reasons, '' for other errors); source_ref is where the record was
-- read before Kafka (file:line), '' when unknown.
CREATE TABLE IF NOT EXISTS {{database}}.dlq_events
(
    dedupe_key String,
    dead_lettered_at DateTime('UTC'),
    stage {{low_cardinality String}},
    error_code {{low_cardinality String}},
    error_type {{low_cardinality String}},
    error_message String,
    provider {{low_cardinality String}},
    reason {{low_cardinality String}},
    field String,
    source_ref String,
    original_topic String,
    original_partition Int32,
    original_offset Int64,
    original_key String,
    payload String,
    payload_encoding {{low_cardinality String}},
    payload_bytes UInt64,
    payload_truncated UInt8
)
ENGINE = ReplacingMergeTree(dead_lettered_at)
PARTITION BY toYYYYMM(dead_lettered_at)
ORDER BY (stage, dedupe_key)
SETTINGS index_granularity = 8192;

-- Right-sizing results: one row per principal and analysis, written by the
-- analyzer-rightsizing service from `RightsizingResult`s. The sorting key names the
-- principal and the analysis window's end, so writing the same analysis twice collapses
-- into one row per principal when parts merge; each later analysis adds a row. Read with
-- FINAL, or GROUP BY the key, where duplicates must not count; pick a principal's latest
-- result with argMax(…, window_end).
--
-- Conventions for the writer:
-- - window_start and window_end are the analysis window in whole seconds, UTC; window_end
--   also picks the partition.
-- - team is '' when no ownership rule matched.
-- - last_activity is 0 (1970-01-01 00:00:00) when the principal was never seen.
-- - unused_permissions and unused_risks are parallel arrays (same length, same order).
-- - recommendation is the JSON text of RightsizingResult.recommendation, result the JSON
--   text of the whole RightsizingResult.
-- - written_at is the version: the most recently written copy is kept.
CREATE TABLE IF NOT EXISTS {{database}}.recommendations
(
    provider {{low_cardinality String}},
    account_id String,
    principal_id String,
    principal_type {{low_cardinality String}},
    principal_name String,
    team String,
    status {{low_cardinality String}},
    window_start DateTime('UTC'),
    window_end DateTime('UTC'),
    window_days UInt16,
    last_activity DateTime('UTC'),
    score Float64,
    confidence Float64,
    used_count UInt32,
    unused_permissions Array(String),
    unused_risks Array(String),
    unobservable_permissions Array(String),
    unused_services Array(String),
    recommendation_kind {{low_cardinality String}},
    removes Array(String),
    recommendation String,
    result String,
    written_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(written_at)
PARTITION BY toYYYYMM(window_end)
ORDER BY (provider, account_id, principal_id, window_end)
SETTINGS index_granularity = 8192;

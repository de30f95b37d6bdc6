-- Granted permissions: one row per principal and grant of an entitlement snapshot, written
-- by the entitlements service. The sorting key names the snapshot (provider, account,
-- taken_at_ms) and every field of the grant, so writing the same snapshot twice collapses
-- into one set of rows when parts merge. Read with FINAL, or GROUP BY the key, where
-- duplicates must not count; pick the latest snapshot of an account with max(taken_at_ms).
--
-- Conventions for the writer:
-- - snapshot_time is taken_at_ms in whole seconds, UTC; it also picks the partition, so
--   every row of one snapshot lands in one month.
-- - conditions is '' for an unconditional grant, else the JSON text of Grant.conditions.
-- - conditional and data_action are 0 or 1; admin is 1 when the principal has an
--   admin-equivalent finding in the snapshot.
-- - written_at is the version: the most recently written copy is kept.
CREATE TABLE IF NOT EXISTS {{database}}.entitlements
(
    provider {{low_cardinality String}},
    account_id String,
    taken_at_ms UInt64,
    snapshot_time DateTime('UTC'),
    principal_id String,
    principal_type {{low_cardinality String}},
    principal_name String,
    admin UInt8,
    permission String,
    resource String,
    conditional UInt8,
    conditions String,
    via String,
    data_action UInt8,
    written_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(written_at)
PARTITION BY toYYYYMM(snapshot_time)
ORDER BY (provider, account_id, principal_id, taken_at_ms, permission, resource, via, conditions, conditional, data_action)
SETTINGS index_granularity = 8192;

-- Daily activity per principal, kept up to date by a materialized view on events. Listing
-- principals reads one row per principal and day here, instead of permission_usage's row
-- per permission, resource and outcome, so the list stays fast on large stores. Read it
-- with the -Merge combinators, for example:
--   SELECT provider, account_id, principal_id, countMerge(permission_uses),
--          uniqExactIfMerge(used_permissions), maxMerge(last_seen)
--   FROM db.principal_activity GROUP BY provider, account_id, principal_id
--
-- Counting rules, the same as permission_usage's:
-- - Only rows of a final phase count (Azure writes one record per phase; other providers
--   write phase '').
-- - permission_uses counts each permission of each event once, so an event with two
--   permissions counts twice; an event without permissions adds nothing. Redelivered
--   events count again, as in permission_usage.event_count.
-- - used_permissions counts the distinct permissions of successful events.
-- - last_seen is the latest event_time of an event with a permission, any outcome.
CREATE TABLE IF NOT EXISTS {{database}}.principal_activity
(
    day Date,
    provider {{low_cardinality String}},
    account_id String,
    principal_id String,
    permission_uses AggregateFunction(count),
    used_permissions AggregateFunction(uniqExactIf, String, UInt8),
    last_seen AggregateFunction(max, DateTime('UTC'))
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (provider, account_id, principal_id, day)
SETTINGS index_granularity = 8192;

-- Backfills the events stored before this migration, once: the condition is false when the
-- table already has rows, so a repeated run adds nothing.
-- NOTE: events inserted while this statement runs, before the view below exists, are not
-- counted here; a store that takes writes during the upgrade misses those few days' counts.
INSERT INTO {{database}}.principal_activity
SELECT
    toDate(event_time) AS day,
    provider,
    account_id,
    principal_id,
    countState() AS permission_uses,
    uniqExactIfState(permission, outcome = 'success') AS used_permissions,
    maxState(event_time) AS last_seen
FROM {{database}}.events
ARRAY JOIN permissions AS permission
WHERE phase IN ('', 'succeeded', 'failed', 'canceled')
    AND (SELECT count() FROM {{database}}.principal_activity) = 0
GROUP BY day, provider, account_id, principal_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.principal_activity_mv
TO {{database}}.principal_activity
AS SELECT
    toDate(event_time) AS day,
    provider,
    account_id,
    principal_id,
    countState() AS permission_uses,
    uniqExactIfState(permission, outcome = 'success') AS used_permissions,
    maxState(event_time) AS last_seen
FROM {{database}}.events
ARRAY JOIN permissions AS permission
WHERE phase IN ('', 'succeeded', 'failed', 'canceled')
GROUP BY day, provider, account_id, principal_id;

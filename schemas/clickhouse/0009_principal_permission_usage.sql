-- Permission use per principal, day, permission and outcome, for the API's principal detail.
-- permission_usage is sorted by provider and account first and keeps a row per resource, so
-- reading one principal there decodes whole granules of other principals' uniq states. This
-- table starts its key with principal_id, drops the resource and uses small granules, so a
-- principal's detail reads only its own rows. Read it with the -Merge combinators:
--   SELECT provider, account_id, permission, outcome, uniqMerge(unique_events),
--          minMerge(first_seen), maxMerge(last_seen)
--   FROM db.principal_permission_usage WHERE principal_id = '…'
--   GROUP BY provider, account_id, permission, outcome
--
-- Counting rules are the same as permission_usage's. Only rows of a final phase count, because
-- Azure writes one record per phase (other providers write phase ''). unique_events counts
-- distinct event ids, exactly for small counts and approximately beyond. first_seen and
-- last_seen are the earliest and latest event_time. A row added twice changes none of the
-- three, so the view is created before the backfill below (no gap), and a repeated backfill
-- changes nothing.
CREATE TABLE IF NOT EXISTS {{database}}.principal_permission_usage
(
    day Date,
    provider {{low_cardinality String}},
    account_id String,
    principal_id String,
    permission String,
    outcome {{low_cardinality String}},
    unique_events AggregateFunction(uniq, String),
    first_seen AggregateFunction(min, DateTime('UTC')),
    last_seen AggregateFunction(max, DateTime('UTC'))
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (principal_id, day, provider, account_id, permission, outcome)
SETTINGS index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.principal_permission_usage_mv
TO {{database}}.principal_permission_usage
AS SELECT
    toDate(event_time) AS day,
    provider,
    account_id,
    principal_id,
    permission,
    outcome,
    uniqState(event_id) AS unique_events,
    minState(event_time) AS first_seen,
    maxState(event_time) AS last_seen
FROM {{database}}.events
ARRAY JOIN permissions AS permission
WHERE phase IN ('', 'succeeded', 'failed', 'canceled')
GROUP BY day, provider, account_id, principal_id, permission, outcome;

-- Backfills from permission_usage, which contains the same counts split by resource.
INSERT INTO {{database}}.principal_permission_usage
SELECT
    day,
    provider,
    account_id,
    principal_id,
    permission,
    outcome,
    uniqMergeState(unique_events) AS unique_events,
    minMergeState(first_seen) AS first_seen,
    maxMergeState(last_seen) AS last_seen
FROM {{database}}.permission_usage
GROUP BY day, provider, account_id, principal_id, permission, outcome;

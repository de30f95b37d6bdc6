-- Daily permission usage per principal and resource, kept up to date by a materialized
-- view on events. Read it with the -Merge combinators, for example:
--   SELECT principal_id, permission, countMerge(event_count), uniqMerge(unique_events),
--          minMerge(first_seen), maxMerge(last_seen)
--   FROM db.permission_usage WHERE outcome = 'success' GROUP BY principal_id, permission
--
-- Counting rules:
-- - Only rows of a final phase count: Azure writes one record per phase of an operation
--   (started, accepted, then succeeded, failed or canceled), so only the last one counts.
--   Other providers write phase '' and always count.
-- - An event with no permissions adds nothing (ARRAY JOIN drops empty arrays).
-- - An event with no resources counts once under resource ''.
-- - An event with several permissions and several resources counts under every pair,
--   because the event does not say which permission applied to which resource.
-- - outcome is part of the key, so success, denied and failed calls stay apart.
-- - The view receives every INSERT, including redelivered events that events later merges
--   away. event_count therefore counts redeliveries too; unique_events counts distinct
--   event ids (the uniq estimate is exact for small counts and approximate beyond).
CREATE TABLE IF NOT EXISTS {{database}}.permission_usage
(
    day Date,
    provider {{low_cardinality String}},
    account_id String,
    principal_id String,
    permission String,
    resource String,
    outcome {{low_cardinality String}},
    event_count AggregateFunction(count),
    unique_events AggregateFunction(uniq, String),
    first_seen AggregateFunction(min, DateTime('UTC')),
    last_seen AggregateFunction(max, DateTime('UTC'))
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (provider, account_id, principal_id, permission, resource, outcome, day)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.permission_usage_mv
TO {{database}}.permission_usage
AS SELECT
    toDate(event_time) AS day,
    provider,
    account_id,
    principal_id,
    permission,
    arrayJoin(if(empty(resources), [''], resources)) AS resource,
    outcome,
    countState() AS event_count,
    uniqState(event_id) AS unique_events,
    minState(event_time) AS first_seen,
    maxState(event_time) AS last_seen
FROM {{database}}.events
ARRAY JOIN permissions AS permission
WHERE phase IN ('', 'succeeded', 'failed', 'canceled')
GROUP BY day, provider, account_id, principal_id, permission, resource, outcome;

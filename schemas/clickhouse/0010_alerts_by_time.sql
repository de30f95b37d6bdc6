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
-- The columns are copied from `alerts` when this table is created (CREATE TABLE ... AS). A
-- later migration that adds a column to `alerts` must add it here too, because the view
-- inserts every column by name.
CREATE TABLE IF NOT EXISTS {{database}}.alerts_by_time AS {{database}}.alerts
ENGINE = ReplacingMergeTree(created_at_ms)
PARTITION BY toYYYYMM(first_seen)
ORDER BY (window_start_ms, alert_id)
SETTINGS index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.alerts_by_time_mv
TO {{database}}.alerts_by_time
AS SELECT * FROM {{database}}.alerts;

INSERT INTO {{database}}.alerts_by_time SELECT * FROM {{database}}.alerts;

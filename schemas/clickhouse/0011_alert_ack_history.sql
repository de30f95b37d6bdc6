-- Every acknowledgement of every alert, for the API's acknowledgement history. alert_acks
-- keeps only the latest acknowledgement per alert once its parts merge, so a second
-- acknowledgement's note would replace the first one's there. The view copies each row
-- written to alert_acks as it is inserted, before any merge.
--
-- The key is the whole row (alert, time, caller, note), so a row added twice collapses, and
-- two notes that one caller sent in the same millisecond are both kept. The view is created before the backfill below (no gap), and a repeated
-- backfill changes nothing once parts merge; readers use FINAL. The backfill can only copy
-- the acknowledgements that alert_acks still holds.
-- The columns are copied from alert_acks when this table is created (CREATE TABLE ... AS).
-- A later migration that adds a column to alert_acks must add it here too, because the view
-- inserts every column by name.
CREATE TABLE IF NOT EXISTS {{database}}.alert_ack_history AS {{database}}.alert_acks
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(acknowledged_at)
ORDER BY (alert_id, acknowledged_at_ms, acknowledged_by, note)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.alert_ack_history_mv
TO {{database}}.alert_ack_history
AS SELECT * FROM {{database}}.alert_acks;

INSERT INTO {{database}}.alert_ack_history SELECT * FROM {{database}}.alert_acks;

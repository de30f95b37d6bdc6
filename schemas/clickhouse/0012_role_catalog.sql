-- The roles and GCP permission support levels of an entitlement snapshot. The entitlements
-- service writes them next to the snapshot's `entitlements` rows. The right-sizing analyzer
-- reads them to propose Azure built-in roles and GCP predefined roles, and to keep
-- permissions that GCP custom roles do not support out of a proposed custom role.
--
-- role_catalog has one row per Azure built-in role or GCP predefined role (`roles/...`)
-- of the snapshot's export. Each permission list is one Array column, so a catalog takes
-- one row per role and snapshot, however many permissions each role lists.
-- gcp_permission_support has one row per GCP permission with its customRolesSupportLevel
-- (IAM v1 `Permission.customRolesSupportLevel`: SUPPORTED, TESTING or NOT_SUPPORTED).
--
-- Conventions for the writer, shared with entitlements:
-- - provider, account_id and taken_at_ms are the snapshot's header. The header's account
--   (an Azure tenant, a GCP organization or project) can differ from the account_id of the
--   snapshot's entitlements rows, which name each principal's subscription or project, so
--   readers match a snapshot to its catalog by provider and taken_at_ms.
-- - snapshot_time is taken_at_ms in whole seconds, UTC; it also picks the partition.
-- - Azure lists are lower-cased, flattened over the definition's permission blocks; GCP
--   roles fill actions only. role_id is the Azure role definition id, '' for GCP.
-- - written_at is the version: writing the same snapshot again keeps the later copy once
--   parts merge. Read with FINAL, or LIMIT 1 BY the key, where duplicates must not count.
CREATE TABLE IF NOT EXISTS {{database}}.role_catalog
(
    provider {{low_cardinality String}},
    account_id String,
    taken_at_ms UInt64,
    snapshot_time DateTime('UTC'),
    role_name String,
    role_id String,
    actions Array(String),
    not_actions Array(String),
    data_actions Array(String),
    not_data_actions Array(String),
    written_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(written_at)
PARTITION BY toYYYYMM(snapshot_time)
ORDER BY (provider, account_id, taken_at_ms, role_name, role_id)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS {{database}}.gcp_permission_support
(
    account_id String,
    taken_at_ms UInt64,
    snapshot_time DateTime('UTC'),
    permission String,
    support_level {{low_cardinality String}},
    written_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(written_at)
PARTITION BY toYYYYMM(snapshot_time)
ORDER BY (account_id, taken_at_ms, permission)
SETTINGS index_granularity = 8192;

import { setting } from '@ciem/config';
import { clickhouseConnectionSettings } from '@ciem/clickhouse';
import { kafkaConnectionSettings, kafkaConsumerSettings, kafkaSecuritySettings } from '@ciem/kafka';
import { serviceSettings } from '@ciem/runtime';

/** Configuration of the anomaly analyzer: the shared service settings plus its own. */
export const analyzerAnomalySchema = {
  ...serviceSettings,
  ...kafkaConnectionSettings('ciem.alerts'),
  ...kafkaSecuritySettings,
  groupId: setting.string({
    env: 'CIEM_ANOMALY_GROUP_ID',
    description:
      'Consumer group of the normalized topic; instances in one group share the partitions and so the principals.',
    default: 'ciem-analyzer-anomaly',
  }),
  ...kafkaConsumerSettings,
  checkpointDir: setting.string({
    env: 'CIEM_ANOMALY_CHECKPOINT_DIR',
    description:
      'Folder of the baseline checkpoints, one JSON file per topic partition, written after each committed batch and read when a partition is first seen.',
    default: './data/anomaly-checkpoints',
  }),
  checkpointIntervalMs: setting.duration({
    env: 'CIEM_ANOMALY_CHECKPOINT_INTERVAL_MS',
    description:
      'Minimum time between two checkpoint writes of one partition; baselines are also saved at shutdown.',
    default: 60_000,
    min: 0,
  }),
  windowMs: setting.duration({
    env: 'CIEM_ANOMALY_WINDOW_MS',
    description:
      'Aggregation window of an alert: detections of one rule, principal and subject inside one window update one alert. At most one day.',
    default: 3_600_000,
    min: 60_000,
    max: 86_400_000,
  }),
  recentEventIds: setting.integer({
    env: 'CIEM_ANOMALY_RECENT_EVENT_IDS',
    description:
      'Latest event ids each partition remembers so that an event delivered again (CloudTrail files read by two trails, at-least-once ingest) is counted once; about 10 MB of memory per partition at the default, 0 turns it off.',
    default: 100_000,
    min: 0,
    max: 10_000_000,
    unit: 'events',
  }),
  warmupMs: setting.duration({
    env: 'CIEM_ANOMALY_WARMUP_MS',
    description:
      'History a principal needs before first-use and new-network detections alert (with at least 50 events).',
    default: 604_800_000,
    min: 1,
  }),
  geoipEnabled: setting.boolean({
    env: 'CIEM_ANOMALY_GEOIP_ENABLED',
    description:
      "Looks up the country of IPv4 callers in the bundled registry data and the country's representative point, so a call from a new country and impossible travel alert; off leaves network novelty only.",
    default: true,
  }),
  maxTravelKmPerHour: setting.integer({
    env: 'CIEM_ANOMALY_MAX_TRAVEL_KMH',
    description:
      'Impossible travel: the highest plausible speed between two calls of one principal.',
    default: 1000,
    min: 1,
    unit: 'km/h',
  }),
  minTravelKm: setting.integer({
    env: 'CIEM_ANOMALY_MIN_TRAVEL_KM',
    description:
      'Impossible travel: two places closer than this are not judged, because country-level points of neighbours are this close.',
    default: 1000,
    min: 1,
    unit: 'km',
  }),
  travelToleranceKm: setting.integer({
    env: 'CIEM_ANOMALY_TRAVEL_TOLERANCE_KM',
    description:
      'Impossible travel: subtracted from the distance before the speed is computed, for the coarseness of country-level locations.',
    default: 500,
    min: 1,
    unit: 'km',
  }),
  unusedRefreshMs: setting.duration({
    env: 'CIEM_ANOMALY_UNUSED_REFRESH_MS',
    description:
      'How often the latest right-sizing results are read from the ClickHouse `recommendations` table, so a use of a high-risk permission marked unused alerts; 0 turns the reading off.',
    default: 900_000,
    min: 0,
  }),
  suppressions: setting.string({
    env: 'CIEM_ANOMALY_SUPPRESSIONS',
    description:
      'JSON array of suppression rules `{"ruleId","principal","accountId","sourceCidr"}`; every field given must match, `*` is a wildcard, and `sourceCidr` is an IPv4 or IPv6 range.',
    default: '[]',
  }),
  ...clickhouseConnectionSettings({ tables: 'the `alerts` table' }),
  migrations: setting.boolean({
    env: 'CIEM_MIGRATIONS_ENABLED',
    description: 'Applies the ClickHouse migrations at start (idempotent).',
    default: true,
  }),
};

/**
 * Kafka topic names of the platform, before the configurable prefix. The embedded mode's
 * in-process bus uses the same names so a stage is wired the same way in both modes.
 */
export const TOPICS = {
  rawAwsCloudTrail: 'ciem.raw.aws.cloudtrail',
  rawAzureActivity: 'ciem.raw.azure.activity',
  rawGcpAudit: 'ciem.raw.gcp.audit',
  eventsNormalized: 'ciem.events.normalized',
  deadLetter: 'ciem.dlq',
  entitlements: 'ciem.entitlements',
  recommendations: 'ciem.recommendations',
  alerts: 'ciem.alerts',
} as const;

/** The raw topic each provider's ingest service writes to. */
export const RAW_TOPIC_BY_PROVIDER = {
  aws: TOPICS.rawAwsCloudTrail,
  azure: TOPICS.rawAzureActivity,
  gcp: TOPICS.rawGcpAudit,
} as const;

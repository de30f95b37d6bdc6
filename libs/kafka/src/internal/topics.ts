import { TOPICS as CONTRACT_TOPICS } from '@ciem/events';
import { ConfigError, describeValue } from '@ciem/errors';
import type { KafkaAdmin, NewTopic } from './admin.js';
import type { KafkaClient } from './client.js';
import { KafkaErrorCodes, invalidOption } from './errors.js';

/**
 * Topic names of the platform without prefix, from the event contract in `@ciem/events`.
 * Keys, values and retention are in the design's topic table.
 */
export const TOPICS = CONTRACT_TOPICS;

export type TopicKey = keyof typeof TOPICS;
export type TopicNames = Readonly<Record<TopicKey, string>>;

/** Topics holding the latest value per key (`cleanup.policy=compact`). */
const compactedTopics: ReadonlySet<TopicKey> = new Set(['entitlements', 'recommendations']);

/** Kafka's rule for topic names: at most 249 of `[a-zA-Z0-9._-]` (Kafka `Topic.validate`). */
const legalTopicName = /^[a-zA-Z0-9._-]+$/;
const maxTopicNameLength = 249;

function checkTopicName(name: string, what: string): void {
  if (name.length > maxTopicNameLength || (name.length > 0 && !legalTopicName.test(name))) {
    throw new ConfigError(
      KafkaErrorCodes.invalidTopicName,
      `invalid ${what} ${describeValue(name)}: expected at most ${maxTopicNameLength} characters from a-z A-Z 0-9 . _ -`,
      { details: { topic: name } },
    );
  }
}

/**
 * Returns the platform's topic names with `prefix` put in front of each (for example
 * `staging.` gives `staging.ciem.dlq`). Throws `ConfigError` `CIEM_KAFKA_INVALID_TOPIC_NAME`
 * when the prefix contains characters Kafka rejects.
 */
export function topicNames(prefix = ''): TopicNames {
  checkTopicName(prefix, 'topic prefix');
  const names = {} as Record<TopicKey, string>;
  for (const key of Object.keys(TOPICS) as TopicKey[]) names[key] = `${prefix}${TOPICS[key]}`;
  return Object.freeze(names);
}

/** A topic the platform needs, as read from configuration. */
export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Keep only the latest record per key (`cleanup.policy=compact`) instead of deleting by age. */
  compacted?: boolean;
  /** `retention.ms`: how long records are kept, -1 for ever. Unset keeps the broker default. */
  retentionMs?: number;
}

/**
 * Returns the specs of every platform topic: `partitions` and `replicationFactor` for all of
 * them, compaction for entitlements and recommendations.
 */
export function defaultTopicSpecs(options: {
  prefix?: string;
  partitions: number;
  replicationFactor: number;
}): TopicSpec[] {
  const names = topicNames(options.prefix ?? '');
  return (Object.keys(TOPICS) as TopicKey[]).map((key) => ({
    name: names[key],
    partitions: options.partitions,
    replicationFactor: options.replicationFactor,
    compacted: compactedTopics.has(key),
  }));
}

/** A difference between a topic's spec and the topic on the broker, reported but never changed. */
export interface TopicMismatch {
  topic: string;
  setting: 'partitions' | 'replicationFactor' | 'cleanup.policy' | 'retention.ms';
  expected: string;
  actual: string;
}

/** Outcome of `ensureTopics`: topics created, topics found, differences found. */
export interface EnsureTopicsReport {
  created: string[];
  existing: string[];
  mismatches: TopicMismatch[];
}

function validateSpec(spec: TopicSpec, index: number): void {
  const at = `specs[${index}]`;
  if (typeof spec.name !== 'string' || spec.name.length === 0) {
    throw invalidOption(`${at}.name`, 'a non-empty topic name', spec.name);
  }
  checkTopicName(spec.name, 'topic name');
  if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
    throw invalidOption(`${at}.partitions`, 'a positive integer', spec.partitions);
  }
  if (!Number.isInteger(spec.replicationFactor) || spec.replicationFactor < 1) {
    throw invalidOption(`${at}.replicationFactor`, 'a positive integer', spec.replicationFactor);
  }
  if (
    spec.retentionMs !== undefined &&
    (!Number.isInteger(spec.retentionMs) || spec.retentionMs < -1)
  ) {
    throw invalidOption(
      `${at}.retentionMs`,
      'an integer of -1 (for ever) or more',
      spec.retentionMs,
    );
  }
}

function topicConfigs(spec: TopicSpec): Record<string, string> {
  const configs: Record<string, string> = {};
  if (spec.compacted) configs['cleanup.policy'] = 'compact';
  if (spec.retentionMs !== undefined) configs['retention.ms'] = String(spec.retentionMs);
  return configs;
}

/** Compares an existing topic with its spec. */
export function findMismatches(
  spec: TopicSpec,
  actual: { partitions: number; replicationFactor: number; configs: Record<string, string> },
): TopicMismatch[] {
  const mismatches: TopicMismatch[] = [];
  const add = (setting: TopicMismatch['setting'], expected: string, found: string): void => {
    if (expected !== found) mismatches.push({ topic: spec.name, setting, expected, actual: found });
  };
  add('partitions', String(spec.partitions), String(actual.partitions));
  add('replicationFactor', String(spec.replicationFactor), String(actual.replicationFactor));
  // Kafka stores the policy as a list ("compact,delete" compacts and also deletes by age).
  const policies = (actual.configs['cleanup.policy'] ?? 'delete')
    .split(',')
    .map((policy) => policy.trim());
  const compacted = policies.includes('compact');
  if (Boolean(spec.compacted) !== compacted) {
    add('cleanup.policy', spec.compacted ? 'compact' : 'delete', policies.join(','));
  }
  if (spec.retentionMs !== undefined) {
    add('retention.ms', String(spec.retentionMs), actual.configs['retention.ms'] ?? 'unknown');
  }
  return mismatches;
}

/**
 * Creates the topics of `specs` that do not exist, and compares the existing ones with their
 * spec. Differences are returned and logged as warnings, never applied: changing partitions
 * moves keys to other partitions and changing cleanup policy can delete data, so an operator
 * decides. Safe to run at every start and from several processes at once.
 *
 * Throws `ConfigError` (`CIEM_KAFKA_INVALID_OPTION`, `CIEM_KAFKA_INVALID_TOPIC_NAME`) for an
 * invalid spec, and `DependencyError` `CIEM_KAFKA_ADMIN_FAILED` when the broker fails.
 */
export async function ensureTopics(
  admin: KafkaAdmin,
  specs: readonly TopicSpec[],
): Promise<EnsureTopicsReport> {
  specs.forEach(validateSpec);
  const requests: NewTopic[] = specs.map((spec) => ({
    name: spec.name,
    partitions: spec.partitions,
    replicationFactor: spec.replicationFactor,
    configs: topicConfigs(spec),
  }));
  const created = await admin.createTopics(requests);
  const createdSet = new Set(created);
  const existingSpecs = specs.filter((spec) => !createdSet.has(spec.name));

  const described = await admin.describeTopics(
    existingSpecs.map((spec) => spec.name),
    ['cleanup.policy', 'retention.ms'],
  );
  const byName = new Map(described.map((topic) => [topic.name, topic]));
  const mismatches: TopicMismatch[] = [];
  for (const spec of existingSpecs) {
    const actual = byName.get(spec.name);
    if (actual) mismatches.push(...findMismatches(spec, actual));
  }

  for (const mismatch of mismatches) {
    admin.logger.warn(
      {
        topic: mismatch.topic,
        setting: mismatch.setting,
        expected: mismatch.expected,
        actual: mismatch.actual,
      },
      'Kafka topic differs from its configuration; left unchanged',
    );
  }
  if (created.length > 0) admin.logger.info({ topics: created }, 'Kafka topics created');
  return { created, existing: existingSpecs.map((spec) => spec.name), mismatches };
}

/**
 * Connects an admin client of `client`, creates the missing topics of `specs` and compares
 * the existing ones (see {@link ensureTopics}), then disconnects the admin, also when the
 * broker fails. Throws what `ensureTopics` throws.
 */
export async function ensureKafkaTopics(
  client: Pick<KafkaClient, 'createAdmin'>,
  specs: readonly TopicSpec[],
): Promise<EnsureTopicsReport> {
  const admin = await client.createAdmin();
  try {
    return await ensureTopics(admin, specs);
  } finally {
    await admin.disconnect();
  }
}

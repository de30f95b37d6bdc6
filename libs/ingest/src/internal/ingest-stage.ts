import type { ConfigValues } from '@ciem/config';
import { messageOf } from '@ciem/errors';
import type { Provider } from '@ciem/events';
import { kafkaSecurityOptions } from '@ciem/kafka';
import type { Stage, StageContext } from '@ciem/runtime';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import type { BackfillReport } from './backfill-files.js';
import type { ingestSettings } from './ingest-settings.js';
import { openRawPublisher } from './open-raw-publisher.js';
import type { OpenedRawPublisher } from './open-raw-publisher.js';
import type { RawPublisher } from './raw-publisher.js';

/** The values of {@link ingestSettings} that every ingest service loads. */
export type IngestSettingValues = ConfigValues<typeof ingestSettings>;

/** The source of an ingest service: one that runs until stopped, or inputs read once. */
export type IngestSource =
  | {
      /** Builds the stages that read the source, started in order and stopped in reverse. */
      readonly live: (publisher: RawPublisher) => Stage[];
    }
  | {
      /** Reads every input once and returns the totals; it stops early when `signal` aborts. */
      readonly backfill: (publisher: RawPublisher, signal: AbortSignal) => Promise<BackfillReport>;
    };

/** Options of {@link createIngestStage}. */
export interface IngestStageOptions {
  /** Stage name, such as `ingest-gcp-pubsub`. */
  readonly name: string;
  /** The Kafka client id, usually the service name. */
  readonly clientId: string;
  readonly provider: Provider;
  readonly settings: IngestSettingValues;
  /** The stage's logger. */
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly source: IngestSource;
  /** Releases the clients the source opened, once the source stopped and before Kafka closes. */
  readonly release?: () => Promise<void> | void;
}

/** An ingest service's one stage, with the end of a backfill. */
export interface IngestStage extends Stage {
  /** True when the source is read once: the service stops when `backfillFinished` resolves. */
  readonly readsOnce: boolean;
  /** Resolves with the totals when a backfill finished; never settles for a live source. */
  readonly backfillFinished: Promise<BackfillReport>;
}

/**
 * Creates the stage every ingest service runs. On start it connects the raw publisher, and
 * creates the topics when configured, then starts the live source's stages or runs the
 * backfill. On stop it stops them in reverse order before closing Kafka. A failed backfill
 * fails the service, and a finished one logs its totals.
 */
export function createIngestStage(options: IngestStageOptions): IngestStage {
  const { settings, logger, source } = options;
  let opened: OpenedRawPublisher | undefined;
  const live: Stage[] = [];
  const backfillAbort = new AbortController();
  let backfillRun: Promise<void> | undefined;
  let resolveBackfill: (report: BackfillReport) => void = () => undefined;
  const backfillFinished = new Promise<BackfillReport>((resolve) => {
    resolveBackfill = resolve;
  });

  const runBackfill = async (
    backfill: (publisher: RawPublisher, signal: AbortSignal) => Promise<BackfillReport>,
    publisher: RawPublisher,
    context: StageContext,
  ): Promise<void> => {
    try {
      const report = await backfill(publisher, backfillAbort.signal);
      logger.info(
        {
          files: report.files,
          skipped_files: report.skippedFiles,
          unchanged_files: report.unchangedFiles,
          records: report.records,
          dead_lettered: report.deadLettered,
          aborted: backfillAbort.signal.aborted,
        },
        'backfill finished',
      );
      resolveBackfill(report);
    } catch (error) {
      logger.error({ err: messageOf(error) }, 'backfill failed');
      context.fail(error);
    }
  };

  return {
    name: options.name,
    readsOnce: 'backfill' in source,
    backfillFinished,

    async start(context) {
      opened = await openRawPublisher({
        brokers: settings.kafkaBrokers,
        clientId: options.clientId,
        ...kafkaSecurityOptions(settings),
        provider: options.provider,
        topicPrefix: settings.kafkaTopicPrefix,
        logger,
        metrics: options.metrics,
        maxBatchRecords: settings.batchMaxRecords,
        maxBatchBytes: settings.batchMaxBytes,
        maxInFlightRecords: settings.inFlightMaxRecords,
        maxInFlightBytes: settings.inFlightMaxBytes,
        ...(settings.kafkaCreateTopics
          ? {
              createTopics: {
                partitions: settings.kafkaTopicPartitions,
                replicationFactor: settings.kafkaReplicationFactor,
              },
            }
          : {}),
      });
      if ('backfill' in source) {
        backfillRun = runBackfill(source.backfill, opened.publisher, context);
        return;
      }
      live.push(...source.live(opened.publisher));
      for (const stage of live) await stage.start(context);
    },

    async stop() {
      backfillAbort.abort();
      for (const stage of [...live].reverse()) await stage.stop();
      await backfillRun;
      await options.release?.();
      await opened?.close();
    },

    health() {
      if (opened === undefined) return { ready: false, detail: 'connecting to Kafka' };
      for (const stage of live) {
        const health = stage.health();
        if (!health.ready) return health;
      }
      return { ready: true, detail: `in flight: ${opened.publisher.inFlight().records} records` };
    },
  };
}

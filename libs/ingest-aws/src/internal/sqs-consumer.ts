import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { S3Client } from '@aws-sdk/client-s3';
import { CiemError, DependencyError, errorCodeOf, errorTypeOf, messageOf } from '@ciem/errors';
import { isCloudTrailDigest } from '@ciem/ingest';
import type { RawPublisher } from '@ciem/ingest';
import { computeBackoffMs, defaultBackoff } from '@ciem/kafka';
import type { BackoffOptions } from '@ciem/kafka';
import type { Stage, StageContext, StageHealth } from '@ciem/runtime';
import { createRateLimitedLog } from '@ciem/telemetry';
import type { Logger, StageMetrics } from '@ciem/telemetry';
import { isProgrammingError } from './aws-errors.js';
import { IngestAwsErrorCodes, invalidOption } from './errors.js';
import { parseNotification } from './notification.js';
import type { S3ObjectRef } from './notification.js';
import { ingestS3Object, s3Url } from './s3-object.js';

/** Options of {@link createSqsIngestStage}. Times in seconds where SQS takes seconds. */
export interface SqsIngestOptions {
  sqs: SQSClient;
  s3: S3Client;
  publisher: RawPublisher;
  /** URL of the queue receiving the trail bucket's S3 notifications or the trail's SNS messages. */
  queueUrl: string;
  logger: Logger;
  /** Stage metrics; errors are counted with `provider` `aws` and `phase` `sqs`. */
  metrics?: StageMetrics;
  /** Stage name in logs and `/readyz`; `ingest-aws-sqs` by default. */
  name?: string;
  /** Messages processed at once (default 4). Each reads its objects one after another. */
  concurrency?: number;
  /** Long-poll wait of one ReceiveMessage, 0 to 20 s (default 20). */
  waitTimeSeconds?: number;
  /**
   * Visibility timeout requested for received messages (default 300 s). While a message is
   * processed it is extended by this much every half of it (ChangeMessageVisibility), so a
   * long object is never handed to a second consumer mid-way.
   */
  visibilityTimeoutSeconds?: number;
  /** Visibility set on a message whose processing failed, so it comes back after this delay (default 30 s). */
  retryDelaySeconds?: number;
  /** Back-off between failed ReceiveMessage calls. */
  receiveBackoff?: BackoffOptions;
}

/** Counts of an SQS ingest stage since it started. */
export interface SqsIngestStats {
  /** Messages deleted after every record they announced was acknowledged. */
  deleted: number;
  /** Messages whose processing failed; they were left on the queue. */
  failed: number;
  /** Messages processing now. */
  active: number;
}

/** A stage that ingests CloudTrail delivery files announced on an SQS queue. */
export interface SqsIngestStage extends Stage {
  stats(): SqsIngestStats;
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(name, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

/** Wraps a failed SQS request in a coded, retriable error; bugs pass through unchanged. */
function sqsFailed(action: string, queueUrl: string, error: unknown): unknown {
  if (isProgrammingError(error)) return error;
  return new DependencyError(
    IngestAwsErrorCodes.sqsFailed,
    `${action} on ${queueUrl} failed: ${messageOf(error)}; it is tried again`,
    { cause: error, details: { queue_url: queueUrl } },
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Creates the stage that long-polls an SQS queue for CloudTrail deliveries. Each message
 * names S3 objects (S3 event notification, CloudTrail's SNS message, either wrapped in SNS);
 * their records are streamed to the raw topic, and the message is deleted only after Kafka
 * acknowledged every record of every object in it. Digest files are skipped.
 *
 * A body that is no notification is dead-lettered (`CIEM_INGEST_AWS_INVALID_NOTIFICATION`)
 * and deleted once the dead letter is acknowledged; so is a poison object's content. When S3
 * or Kafka fails, the message stays on the queue and comes back after `retryDelaySeconds`:
 * records published before the failure are then published again, which downstream
 * deduplicates by event id. Throws `ConfigError` `CIEM_INGEST_AWS_INVALID_OPTION`.
 */
export function createSqsIngestStage(options: SqsIngestOptions): SqsIngestStage {
  const { sqs, s3, publisher, queueUrl, logger, metrics } = options;
  if (typeof queueUrl !== 'string' || queueUrl.length === 0) {
    throw invalidOption('queueUrl', 'an SQS queue URL', queueUrl);
  }
  const name = options.name ?? 'ingest-aws-sqs';
  const concurrency = checkInteger('concurrency', options.concurrency ?? 4, 1, 100);
  const waitTimeSeconds = checkInteger('waitTimeSeconds', options.waitTimeSeconds ?? 20, 0, 20);
  const visibilityTimeoutSeconds = checkInteger(
    'visibilityTimeoutSeconds',
    options.visibilityTimeoutSeconds ?? 300,
    2,
    43_200,
  );
  const retryDelaySeconds = checkInteger(
    'retryDelaySeconds',
    options.retryDelaySeconds ?? 30,
    0,
    43_200,
  );
  const receiveBackoff = options.receiveBackoff ?? defaultBackoff;
  const labels = { provider: 'aws', phase: 'sqs' };
  const failureLog = createRateLimitedLog(logger, 60_000);

  const stopController = new AbortController();
  const active = new Set<Promise<void>>();
  const stats = { deleted: 0, failed: 0 };
  let loop: Promise<void> | undefined;
  let lastReceiveError: string | undefined;

  const setVisibility = async (message: Message, seconds: number): Promise<void> => {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  };

  const startHeartbeat = (message: Message): (() => void) => {
    const timer = setInterval(
      () => {
        setVisibility(message, visibilityTimeoutSeconds).catch((error: unknown) => {
          failureLog.log(
            { message_id: message.MessageId, err: messageOf(error) },
            'extending the visibility of an SQS message failed; another consumer may receive it',
          );
        });
      },
      (visibilityTimeoutSeconds * 1000) / 2,
    );
    timer.unref();
    return () => clearInterval(timer);
  };

  const processMessage = async (message: Message): Promise<void> => {
    const source = `sqs:${message.MessageId ?? 'unknown'}`;
    const body = message.Body ?? '';
    const stopHeartbeat = startHeartbeat(message);
    try {
      let objects: S3ObjectRef[];
      try {
        objects = parseNotification(body).objects;
      } catch (error) {
        if (!(error instanceof CiemError)) throw error;
        await publisher.deadLetter({ value: body, source, rawRef: source, error });
        logger.warn(
          { message_id: message.MessageId, code: errorCodeOf(error), err: messageOf(error) },
          'SQS message is no notification; dead-lettered',
        );
        objects = [];
      }

      let records = 0;
      let deadLettered = 0;
      for (const object of objects) {
        if (isCloudTrailDigest(object.key)) {
          logger.debug({ source: s3Url(object) }, 'CloudTrail digest file skipped');
          continue;
        }
        const report = await ingestS3Object(s3, object, publisher);
        records += report.records;
        deadLettered += report.deadLettered;
      }

      try {
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      } catch (error) {
        throw sqsFailed('DeleteMessage', queueUrl, error);
      }
      stats.deleted += 1;
      logger.debug(
        {
          message_id: message.MessageId,
          objects: objects.length,
          records,
          dead_lettered: deadLettered,
        },
        'SQS message ingested and deleted',
      );
    } catch (error) {
      stats.failed += 1;
      metrics?.countError(errorTypeOf(error), labels);
      if (isProgrammingError(error)) {
        logger.error(
          { message_id: message.MessageId, err: error },
          'SQS message failed with a bug; left on the queue',
        );
      } else {
        failureLog.log(
          { message_id: message.MessageId, code: errorCodeOf(error), err: messageOf(error) },
          'SQS message failed; left on the queue for a retry',
        );
      }
      await setVisibility(message, retryDelaySeconds).catch(() => {
        // The message comes back after its visibility timeout instead.
      });
    } finally {
      stopHeartbeat();
    }
  };

  const run = async (context: StageContext): Promise<void> => {
    let attempt = 0;
    while (!stopController.signal.aborted) {
      const free = concurrency - active.size;
      if (free === 0) {
        await Promise.race(active);
        continue;
      }
      let messages: Message[];
      try {
        const response = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(10, free),
            WaitTimeSeconds: waitTimeSeconds,
            VisibilityTimeout: visibilityTimeoutSeconds,
          }),
          { abortSignal: stopController.signal },
        );
        messages = response.Messages ?? [];
        lastReceiveError = undefined;
        attempt = 0;
      } catch (error) {
        if (stopController.signal.aborted) break;
        if (isProgrammingError(error)) {
          context.fail(error);
          break;
        }
        const failure = sqsFailed('ReceiveMessage', queueUrl, error);
        lastReceiveError = messageOf(failure);
        metrics?.countError(errorTypeOf(failure), labels);
        failureLog.log(
          { queue_url: queueUrl, code: errorCodeOf(failure), err: lastReceiveError },
          'receiving from SQS failed; retrying',
        );
        await sleep(computeBackoffMs(attempt, receiveBackoff, error), stopController.signal);
        attempt += 1;
        continue;
      }
      for (const message of messages) {
        const task = processMessage(message).finally(() => active.delete(task));
        active.add(task);
      }
    }
    await Promise.allSettled([...active]);
  };

  return {
    name,
    async start(context) {
      logger.info(
        { queue_url: queueUrl, concurrency, visibility_timeout_s: visibilityTimeoutSeconds },
        'SQS ingest started',
      );
      loop = run(context).catch((error: unknown) => context.fail(error));
    },
    async stop() {
      stopController.abort();
      await loop;
      logger.info({ deleted: stats.deleted, failed: stats.failed }, 'SQS ingest stopped');
    },
    health(): StageHealth {
      if (lastReceiveError !== undefined) {
        return { ready: false, detail: `receiving from SQS failed: ${lastReceiveError}` };
      }
      return { ready: true, detail: `${active.size} messages in progress` };
    },
    stats: () => ({ ...stats, active: active.size }),
  };
}

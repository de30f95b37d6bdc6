import type { Logger, StageMetrics } from '@ciem/telemetry';
import type { Stage, StageContext } from '../../index.js';

/** Options of the example stage. */
export interface SlowBatchStageOptions {
  logger: Logger;
  metrics: StageMetrics;
  /** Time one batch takes, in milliseconds. */
  batchMs: number;
  /** Events counted per batch. */
  batchSize: number;
  /** Makes `stop` never finish, to exercise the shutdown deadline. */
  stopHangs: boolean;
}

/**
 * Creates a stage that processes one slow batch after another, as a consumer does: `stop`
 * lets the batch in flight finish and then resolves.
 */
export function createSlowBatchStage(options: SlowBatchStageOptions): Stage {
  const { logger, metrics } = options;
  let stopRequested = false;
  let loop: Promise<void> | undefined;
  let batchesDone = 0;

  const runBatch = async (batch: number): Promise<void> => {
    logger.debug({ batch, batch_size: options.batchSize }, 'batch started');
    metrics.countReceived(options.batchSize, { topic: 'example.input' });
    const finishTimer = metrics.startBatchTimer();
    await new Promise((resolve) => setTimeout(resolve, options.batchMs));
    metrics.countSent(options.batchSize, { topic: 'example.output' });
    finishTimer();
    batchesDone += 1;
    logger.debug({ batch }, 'batch done');
  };

  const runLoop = async (context: StageContext): Promise<void> => {
    try {
      for (let batch = 1; !stopRequested; batch += 1) await runBatch(batch);
    } catch (error) {
      context.fail(error);
    }
  };

  return {
    name: 'slow-batch',
    async start(context) {
      loop = runLoop(context);
    },
    async stop() {
      stopRequested = true;
      if (options.stopHangs) {
        logger.info('stop was configured to hang');
        await new Promise(() => undefined);
      }
      await loop;
      logger.info({ batches_done: batchesDone }, 'slow batch loop ended');
    },
    health() {
      return { ready: !stopRequested, detail: `${batchesDone} batches done` };
    },
  };
}

import { DependencyError } from '@ciem/errors';
import type { BatchControl } from '@ciem/kafka';

/** Error code of a batch handed back because the stage is stopping. */
export const BATCH_HANDED_BACK = 'CIEM_PIPELINE_BATCH_HANDED_BACK';

/**
 * Waits for `work` while sending group heartbeats every `intervalMs`, so that a sink that
 * waits out an outage does not get this member dropped from its group. When the consumer is
 * stopping or lost the partition, throws `DependencyError` `CIEM_PIPELINE_BATCH_HANDED_BACK`
 * to hand the batch back uncommitted; `work` goes on in the background and its outcome is
 * ignored, and the batch is delivered again to whichever member owns the partition.
 */
export async function waitWithHeartbeat<T>(
  work: Promise<T>,
  control: BatchControl,
  intervalMs: number,
): Promise<T> {
  let settled = false;
  const tracked = work.finally(() => {
    settled = true;
  });
  tracked.catch(() => {});
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<'tick'>((resolve) => {
      timer = setTimeout(() => resolve('tick'), intervalMs);
    });
    try {
      const outcome = await Promise.race([tracked, tick]);
      if (settled) return outcome as T;
    } finally {
      clearTimeout(timer);
    }
    if (control.isStopping()) {
      throw new DependencyError(
        BATCH_HANDED_BACK,
        'the batch was handed back uncommitted because the consumer is stopping or lost the partition while a sink was still writing; it is delivered again',
      );
    }
    await control.heartbeat().catch(() => {});
  }
}

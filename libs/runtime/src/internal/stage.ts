/** Readiness of one stage, as `/readyz` reports it. */
export interface StageHealth {
  readonly ready: boolean;
  /** Reason the stage is not ready, or state worth showing (lag, paused partitions). */
  readonly detail?: string;
}

/** Callbacks the runtime passes to a stage when starting it. */
export interface StageContext {
  /**
   * Reports that the stage's run loop failed and cannot go on (not one bad record, which goes
   * to the dead-letter topic). The runtime logs the stage's name and stops the process with
   * exit code 1.
   */
  fail(error: unknown): void;
}

/**
 * One unit of work in a service: a consumer, a poller, a sink. `ciem run` wires every stage
 * in one process and a service wires one, with the same code.
 */
export interface Stage {
  /** Name used in logs and in `/readyz`, such as `normalizer`. */
  readonly name: string;
  /** Connects and starts the run loop, resolving once running; the loop reports failure through `context.fail`. */
  start(context: StageContext): Promise<void>;
  /**
   * Stops intake, finishes the batch in flight, flushes and commits durable work, and closes
   * clients. The runtime calls it once per started stage, in reverse start order.
   */
  stop(): Promise<void>;
  /** Returns readiness; called on every `/readyz` request, so it must be cheap. */
  health(): StageHealth;
}

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@ciem/testing';

const run = promisify(execFile);

/** A Kafka broker of its own, on its own ports and data folder, that a test may stop. */
export interface LocalKafka {
  readonly brokers: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the broker and deletes its data folder. */
  remove(): Promise<void>;
}

/**
 * Prepares a second broker with `deploy/local/kafka.sh` (the jars that `install` fetched,
 * ports `port` and `port + 1`, a temporary state folder), so that a fault test can stop it
 * without touching the broker other suites share.
 */
export async function prepareLocalKafka(port: number): Promise<LocalKafka> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'ciem-kafka-fault-'));
  const env = {
    ...process.env,
    CIEM_LOCAL_KAFKA_PORT: String(port),
    CIEM_LOCAL_KAFKA_CONTROLLER_PORT: String(port + 1),
    CIEM_LOCAL_KAFKA_STATE_DIR: stateDir,
    CIEM_LOCAL_KAFKA_STOP_TIMEOUT_S: '20',
  };
  const script = path.join(repoRoot, 'deploy', 'local', 'kafka.sh');
  const call = async (command: string) => {
    await run('bash', [script, command], { env, timeout: 150_000 });
  };
  return {
    brokers: [`127.0.0.1:${port}`],
    start: () => call('start'),
    stop: () => call('stop'),
    async remove() {
      await call('stop');
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

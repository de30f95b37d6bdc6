import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '@ciem/testing';

/** A JSON log line of the normalizer. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/** The normalizer service running as a child process. */
export interface NormalizerProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  readonly otherOutput: string[];
  /** Settles with the exit code, or the signal name, once the child exited. */
  readonly exited: Promise<number | string>;
  /** Waits for a log line matching `predicate`, failing after `timeoutMs`. */
  waitForLine(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<number | string>;
  /** Sends SIGKILL and waits for the exit. */
  kill(): Promise<number | string>;
}

const main = path.join(repoRoot, 'services', 'normalizer', 'src', 'main.ts');

/**
 * Starts `node --import tsx services/normalizer/src/main.ts` with `env` on top of a minimal
 * environment (no inherited `CIEM_` variables) and waits for its `service started` line.
 */
export async function startNormalizer(
  env: Record<string, string>,
  startTimeoutMs = 60_000,
): Promise<NormalizerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      CIEM_PROBE_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const otherOutput: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      otherOutput.push(text);
    }
    for (const wake of waiters) wake();
  });
  createInterface({ input: child.stderr! }).on('line', (text) => otherOutput.push(text));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const wake of waiters) wake();
    });
  });

  const waitForLine = (predicate: (line: LogLine) => boolean, timeoutMs = 30_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        const seen = lines
          .slice(-20)
          .map((line) => line.msg)
          .join(' | ');
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for a normalizer log line; last lines: ${seen}; other output: ${otherOutput.slice(-10).join(' | ')}`,
          ),
        );
      }, timeoutMs);
      function check(): void {
        const found = lines.find(predicate);
        if (found === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      }
      waiters.add(check);
      check();
    });

  const signal = async (name: NodeJS.Signals): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };

  const process_: NormalizerProcess = {
    child,
    lines,
    otherOutput,
    exited,
    waitForLine,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
  await Promise.race([
    waitForLine((line) => line.msg === 'service started', startTimeoutMs),
    exited.then((code) => {
      throw new Error(
        `normalizer exited with ${code} before it started; last lines: ${lines
          .slice(-10)
          .map((line) => JSON.stringify(line).slice(0, 400))
          .join('\n')}`,
      );
    }),
  ]);
  return process_;
}

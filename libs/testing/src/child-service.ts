import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './paths.js';

/** A JSON log line from a child process. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/** A service started as a child process, with its parsed log lines. */
export interface ChildService {
  readonly child: ChildProcess;
  /** Every JSON line written to standard output so far. */
  readonly lines: LogLine[];
  /** Standard output lines that were not JSON, and everything on standard error. */
  readonly otherOutput: string[];
  /** Waits for a line matching `predicate`, failing after `timeoutMs` with the lines seen. */
  waitForLine(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Settles with the exit code (or signal name) once the child has exited. */
  readonly exited: Promise<number | string>;
}

/**
 * Starts `node --import tsx <main>` with `env` on top of a minimal environment (no inherited
 * `CIEM_` variables), and parses its standard output as JSON log lines.
 */
export function startChildService(main: string, env: Record<string, string>): ChildService {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
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

  const waitForLine = (predicate: (line: LogLine) => boolean, timeoutMs = 15_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = (): boolean => {
        const found = lines.find(predicate);
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = lines.map((line) => line.msg).join(' | ');
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for a log line; seen: ${seen}; other output: ${otherOutput.join(' | ')}`,
          ),
        );
      }, timeoutMs);
      const wake = (): void => {
        check();
      };
      function cleanup(): void {
        clearTimeout(timer);
        waiters.delete(wake);
      }
      waiters.add(wake);
      check();
    });

  return { child, lines, otherOutput, waitForLine, exited };
}

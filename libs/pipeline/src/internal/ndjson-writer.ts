import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';

/**
 * Appends lines to a file and waits for the stream to drain when its buffer is full, so a
 * fast producer cannot queue the whole output in memory.
 */
export class LineWriter {
  private readonly stream: WriteStream;
  private lines = 0;

  constructor(readonly filePath: string) {
    this.stream = createWriteStream(filePath, { encoding: 'utf8' });
  }

  /** Writes one line (a newline is added) and resolves when the buffer has room again. */
  async writeLine(line: string): Promise<void> {
    this.lines += 1;
    if (!this.stream.write(`${line}\n`)) await once(this.stream, 'drain');
  }

  /** Lines written so far. */
  get lineCount(): number {
    return this.lines;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
  }
}

/** Quotes a CSV field per RFC 4180 when it holds a comma, quote or line break. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

import type { EstateFile, EstateSink } from './sink.js';

/** An `EstateSink` that keeps every file in memory: for tests and small runs. */
export interface MemorySink extends EstateSink {
  /** File contents by relative path, in the order the files were opened. */
  readonly files: Map<string, string>;
}

export function createMemorySink(): MemorySink {
  const files = new Map<string, string>();
  return {
    files,
    open(relativePath: string): EstateFile {
      if (files.has(relativePath)) throw new Error(`file opened twice: ${relativePath}`);
      const parts: string[] = [];
      files.set(relativePath, '');
      return {
        write(chunk: string): void {
          parts.push(chunk);
        },
        async close(): Promise<void> {
          files.set(relativePath, parts.join(''));
        },
      };
    },
  };
}

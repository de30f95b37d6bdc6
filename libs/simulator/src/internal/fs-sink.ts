import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';
import type { EstateFile, EstateSink } from './sink.js';

const STREAM_BUFFER_BYTES = 1024 * 1024;

// zlib streams pass their options on to `Transform`, so `highWaterMark` applies, although
// the `ZlibOptions` type does not declare it.
const GZIP_OPTIONS: ZlibOptions & { highWaterMark: number } = {
  level: 6,
  highWaterMark: STREAM_BUFFER_BYTES,
};

export interface DirectorySinkOptions {
  /**
   * Compress files whose path ends in `.gz` (default true). When false, such files are
   * written as plain text without the `.gz` suffix.
   */
  gzip?: boolean;
}

/**
 * Creates an `EstateSink` that writes under `dir`, creating folders as needed. Writes honour
 * back-pressure, so a slow disk slows the generator instead of filling memory.
 */
export function createDirectorySink(dir: string, options: DirectorySinkOptions = {}): EstateSink {
  const gzip = options.gzip ?? true;
  const root = path.resolve(dir);
  const made = new Set<string>();
  return {
    open(relativePath: string): EstateFile {
      const compressed = relativePath.endsWith('.gz') && gzip;
      const target = path.resolve(
        root,
        relativePath.endsWith('.gz') && !gzip ? relativePath.slice(0, -3) : relativePath,
      );
      if (!target.startsWith(root + path.sep)) {
        throw new Error(`refusing to write outside the output folder: ${relativePath}`);
      }
      const folder = path.dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      // Buffers of 1 MiB let the generator run ahead of the disk instead of waiting on
      // every 256 KiB chunk.
      const file = createWriteStream(target, { highWaterMark: STREAM_BUFFER_BYTES });
      const head: Writable = compressed ? createGzip(GZIP_OPTIONS) : file;
      if (compressed) head.pipe(file);
      return {
        async write(chunk: string): Promise<void> {
          if (!head.write(chunk)) await once(head, 'drain');
        },
        async close(): Promise<void> {
          const finished = once(file, 'close');
          head.end();
          await finished;
        },
      };
    },
  };
}

import { createReadStream } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A file path, or a stream of bytes such as a `Readable` or an async iterable of Buffers. */
export type RecordInput = string | Readable | AsyncIterable<Uint8Array | string>;

/** Bytes read from a file at a time: large enough that per-chunk work is negligible. */
const FILE_CHUNK_BYTES = 1024 * 1024;
/** Bytes gunzip produces at a time. */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/**
 * Reads an input as Buffers, decompressing it when it starts with the gzip magic bytes
 * (1f 8b, RFC 1952 section 2.3.1), whatever its name. The file or streams it opened are
 * closed when the caller stops early. Read errors and gzip errors (whose `code` starts
 * with `Z_`) are thrown from the iteration.
 */
export async function* readBytes(input: RecordInput): AsyncGenerator<Buffer> {
  const source: AsyncIterable<Uint8Array | string> =
    typeof input === 'string'
      ? createReadStream(input, { highWaterMark: FILE_CHUNK_BYTES })
      : input;
  const iterator = source[Symbol.asyncIterator]();

  try {
    // Gather at least two bytes to test for the gzip magic number.
    let head: Buffer = Buffer.alloc(0);
    let done = false;
    while (head.length < 2 && !done) {
      const next = await iterator.next();
      if (next.done === true) done = true;
      else
        head =
          head.length === 0 ? toBuffer(next.value) : Buffer.concat([head, toBuffer(next.value)]);
    }

    if (head[0] !== 0x1f || head[1] !== 0x8b) {
      if (head.length > 0) yield head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        yield toBuffer(next.value);
      }
    }

    yield* gunzip(head, done ? undefined : iterator);
  } finally {
    await iterator.return?.();
    if (typeof input === 'string') (source as Readable).destroy();
  }
}

async function* gunzip(
  head: Buffer,
  iterator: AsyncIterator<Uint8Array | string> | undefined,
): AsyncGenerator<Buffer> {
  async function* compressed(): AsyncGenerator<Buffer> {
    yield head;
    if (iterator === undefined) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield toBuffer(next.value);
    }
  }
  const decompressor = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  // pipeline destroys the gunzip stream with the first error, which the loop below throws.
  const output = pipeline(Readable.from(compressed()), decompressor, () => {});
  try {
    for await (const chunk of output) yield chunk as Buffer;
  } finally {
    output.destroy();
  }
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** One output file opened on an `EstateSink`. */
export interface EstateFile {
  write(chunk: string): Promise<void> | void;
  close(): Promise<void>;
}

/**
 * The port the simulator writes through, so the library itself does no file I/O.
 * `relativePath` uses `/` separators; CloudTrail paths end in `.json.gz` and hold plain JSON
 * text, which a sink may compress.
 */
export interface EstateSink {
  open(relativePath: string): EstateFile | Promise<EstateFile>;
}

/** Totals the writers keep while the simulation runs. */
export interface WriteStats {
  files: number;
  bytes: number;
}

const FLUSH_THRESHOLD_CHARS = 256 * 1024;

/**
 * Batches small strings into large chunks before they reach the sink, so a sink call costs
 * the same whether records are 300 bytes or 3 KB. The file is opened on the first write.
 */
export class BufferedFile {
  private parts: string[] = [];
  private pending = 0;
  private file: EstateFile | undefined;

  constructor(
    private readonly sink: EstateSink,
    readonly path: string,
    private readonly stats: WriteStats,
  ) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= FLUSH_THRESHOLD_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    if (!this.file) {
      this.file = await this.sink.open(this.path);
      this.stats.files++;
    }
    const chunk = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    this.stats.bytes += Buffer.byteLength(chunk);
    await this.file.write(chunk);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file?.close();
    this.file = undefined;
  }
}

/** Writes one JSON value as a whole file, pretty-printed with a final newline. */
export async function writeJsonFile(
  sink: EstateSink,
  path: string,
  value: unknown,
  stats: WriteStats,
): Promise<void> {
  const file = new BufferedFile(sink, path, stats);
  await file.write(`${JSON.stringify(value, null, 2)}\n`);
  await file.close();
}

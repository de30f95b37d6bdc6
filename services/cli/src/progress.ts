/**
 * A one-line progress display for long work. It draws only when stderr is a terminal, so
 * piped or logged runs stay clean. Callers decide how often to update it.
 */
export class ProgressLine {
  private readonly enabled: boolean;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = stream.isTTY === true;
  }

  /** Replaces the current line with `text`, cut to the terminal's width. */
  update(text: string): void {
    if (!this.enabled) return;
    const width = this.stream.columns ?? 100;
    this.stream.write(`\r${text.slice(0, Math.max(10, width - 1)).padEnd(width - 1)}`);
    this.drawn = true;
  }

  /** Clears the line so the next output starts on a clean row. */
  done(): void {
    if (!this.enabled || !this.drawn) return;
    const width = this.stream.columns ?? 100;
    this.stream.write(`\r${' '.repeat(width - 1)}\r`);
    this.drawn = false;
  }
}

/** Formats a byte count with a binary unit: `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Formats an integer with thousands separators: `1,234,567`. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

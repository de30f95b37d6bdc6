/**
 * Bounds the records and bytes handed to Kafka but not yet acknowledged. `acquire` waits,
 * first come first served, until the batch fits under both limits. A batch larger than a
 * limit on its own is let through when nothing else is in flight, so it can never wait for
 * ever.
 */
export class InFlightLimiter {
  private records = 0;
  private bytes = 0;
  private readonly waiters: Array<{ records: number; bytes: number; resume: () => void }> = [];

  constructor(
    private readonly maxRecords: number,
    private readonly maxBytes: number,
  ) {}

  /** Records and bytes in flight now. */
  get current(): { records: number; bytes: number } {
    return { records: this.records, bytes: this.bytes };
  }

  /** Resolves once `records` and `bytes` fit, and counts them in flight. */
  acquire(records: number, bytes: number): Promise<void> {
    if (this.waiters.length === 0 && this.fits(records, bytes)) {
      this.take(records, bytes);
      return Promise.resolve();
    }
    return new Promise((resume) => this.waiters.push({ records, bytes, resume }));
  }

  /** Returns capacity taken by `acquire` and wakes the waiters that now fit, in order. */
  release(records: number, bytes: number): void {
    this.records -= records;
    this.bytes -= bytes;
    for (;;) {
      const next = this.waiters[0];
      if (next === undefined || !this.fits(next.records, next.bytes)) return;
      this.waiters.shift();
      this.take(next.records, next.bytes);
      next.resume();
    }
  }

  private fits(records: number, bytes: number): boolean {
    if (this.records === 0 && this.bytes === 0) return true;
    return this.records + records <= this.maxRecords && this.bytes + bytes <= this.maxBytes;
  }

  private take(records: number, bytes: number): void {
    this.records += records;
    this.bytes += bytes;
  }
}

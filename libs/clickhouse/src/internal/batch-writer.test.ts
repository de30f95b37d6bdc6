import { Buffer } from 'node:buffer';
import { CiemError, ConfigError, DependencyError, InputError, RejectedError } from '@ciem/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatchWriter } from './batch-writer.js';
import type { InsertOptions } from './client.js';

interface Row {
  id: number;
  text?: string;
}

type Behaviour = (rows: Row[], options: InsertOptions | undefined) => Promise<void>;

/** Creates an insert double that records batches and fails on demand. */
function fakeClient(behaviour: Behaviour = async () => {}) {
  const batches: Row[][] = [];
  const written: Row[] = [];
  const client = {
    insert: vi.fn(async (_table: string, rows: readonly object[], options?: InsertOptions) => {
      const copy = [...(rows as Row[])];
      batches.push(copy);
      await behaviour(copy, options);
      written.push(...copy);
    }),
  };
  return { client, batches, written };
}

const unavailable = () => new DependencyError('CIEM_CLICKHOUSE_UNAVAILABLE', 'connection refused');
const badData = () =>
  new RejectedError('CIEM_CLICKHOUSE_REJECTED', 'cannot parse input', {
    details: { clickhouse_code: 27 },
  });
const unknownTable = () =>
  new RejectedError('CIEM_CLICKHOUSE_REJECTED', 'unknown table', {
    details: { clickhouse_code: 60 },
  });

const base = {
  table: 'db.t',
  columns: ['id', 'text'],
  maxRows: 3,
  maxWaitMs: 1_000,
  maxBufferedRows: 10,
};

afterEach(() => {
  vi.useRealTimers();
});

describe('createBatchWriter', () => {
  it('writes a full batch at once', async () => {
    const { client, batches } = fakeClient();
    const writer = createBatchWriter<Row>({ ...base, client });
    for (const id of [1, 2, 3]) await writer.add({ id });
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    expect(batches[0]).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(client.insert.mock.calls[0]?.[2]?.columns).toEqual(['id', 'text']);
    await writer.close();
  });

  it('writes a partial batch after maxWaitMs', async () => {
    vi.useFakeTimers();
    const { client, batches } = fakeClient();
    const writer = createBatchWriter<Row>({ ...base, client });
    await writer.add({ id: 1 });
    await vi.advanceTimersByTimeAsync(999);
    expect(batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[{ id: 1 }]]);
    await writer.close();
  });

  it('flush resolves after rows are written', async () => {
    const { client, written } = fakeClient();
    const writer = createBatchWriter<Row>({ ...base, maxRows: 2, client });
    for (const id of [1, 2, 3, 4, 5]) await writer.add({ id });
    await writer.flush();
    expect(written.map((row) => row.id)).toEqual([1, 2, 3, 4, 5]);
    expect(writer.stats()).toMatchObject({ writtenRows: 5, bufferedRows: 0, inFlightRows: 0 });
    await writer.close();
  });

  it('splits batches by maxBytes', async () => {
    const { client, batches } = fakeClient();
    // Each row encodes to {"id":N,"text":"xxxxxxxxxx"} plus a newline: 30 bytes.
    const writer = createBatchWriter<Row>({ ...base, maxRows: 10, maxBytes: 60, client });
    for (const id of [1, 2, 3, 4]) await writer.add({ id, text: 'x'.repeat(10) });
    await writer.flush();
    expect(batches.map((batch) => batch.length)).toEqual([2, 2]);
    await writer.close();
  });

  it('retries retriable failures', async () => {
    let failures = 2;
    const { client, written } = fakeClient(async () => {
      if (failures > 0) {
        failures -= 1;
        throw unavailable();
      }
    });
    const writer = createBatchWriter<Row>({
      ...base,
      client,
      retry: { initialDelayMs: 1, maxDelayMs: 2 },
    });
    await writer.add({ id: 1 });
    await writer.flush();
    expect(client.insert).toHaveBeenCalledTimes(3);
    expect(written).toEqual([{ id: 1 }]);
    expect(writer.stats().retries).toBe(2);
    await writer.close();
  });

  it('never retries a rejected batch', async () => {
    const { client } = fakeClient(async () => {
      throw unknownTable();
    });
    const onRejected = vi.fn();
    const writer = createBatchWriter<Row>({ ...base, client, onRejected });
    for (const id of [1, 2]) await writer.add({ id });
    await writer.flush();
    expect(client.insert).toHaveBeenCalledTimes(1);
    expect(onRejected).toHaveBeenCalledTimes(1);
    expect(onRejected.mock.calls[0]?.[0]).toEqual([{ id: 1 }, { id: 2 }]);
    expect(onRejected.mock.calls[0]?.[1]).toBeInstanceOf(RejectedError);
    await writer.close();
  });

  it('isolates a bad row by halving', async () => {
    const { client, written } = fakeClient(async (rows) => {
      if (rows.some((row) => row.id === 3)) throw badData();
    });
    const onRejected = vi.fn();
    const writer = createBatchWriter<Row>({ ...base, maxRows: 8, client, onRejected });
    for (const id of [1, 2, 3, 4, 5, 6, 7, 8]) await writer.add({ id });
    await writer.flush();
    expect(onRejected).toHaveBeenCalledTimes(1);
    expect(onRejected.mock.calls[0]?.[0]).toEqual([{ id: 3 }]);
    expect(written.map((row) => row.id).sort((a, b) => a - b)).toEqual([1, 2, 4, 5, 6, 7, 8]);
    expect(writer.stats()).toMatchObject({ writtenRows: 7, rejectedRows: 1 });
    await writer.close();
  });

  it('flush rejects without onRejected', async () => {
    const { client } = fakeClient(async () => {
      throw unknownTable();
    });
    const writer = createBatchWriter<Row>({ ...base, client });
    await writer.add({ id: 1 });
    await expect(writer.flush()).rejects.toBeInstanceOf(RejectedError);
    await writer.flush();
    await writer.close();
  });

  it('waits for space when full', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { client } = fakeClient(() => gate);
    const writer = createBatchWriter<Row>({ ...base, maxRows: 2, maxBufferedRows: 2, client });
    await writer.add({ id: 1 });
    await writer.add({ id: 2 });
    let thirdAccepted = false;
    const third = writer.add({ id: 3 }).then(() => {
      thirdAccepted = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(thirdAccepted).toBe(false);
    expect(writer.stats().inFlightRows).toBe(2);
    release();
    await third;
    expect(thirdAccepted).toBe(true);
    await writer.close();
  });

  it('rejects rows it cannot encode', async () => {
    const { client } = fakeClient();
    const writer = createBatchWriter<Record<string, unknown>>({ ...base, client });
    await expect(writer.add({ id: 1, text: 'bad \uD800' })).rejects.toBeInstanceOf(InputError);
    await expect(writer.add({ id: 10n })).rejects.toThrow(/cannot be encoded/);
    expect(writer.stats().bufferedRows).toBe(0);
    await writer.close();
  });

  it('accepts text that only looks like a surrogate escape', async () => {
    // A backslash followed by `ud800` is plain text: JSON writes it as `\\ud800`.
    const { client, written } = fakeClient();
    const writer = createBatchWriter<Row>({ ...base, client });
    await writer.add({ id: 1, text: '\\ud800 and \uD83D\uDE00' });
    await writer.flush();
    expect(written).toEqual([{ id: 1, text: '\\ud800 and \uD83D\uDE00' }]);
    await writer.close();
  });

  it('rejects a key with a lone surrogate and names it', async () => {
    const { client } = fakeClient();
    const writer = createBatchWriter<Record<string, unknown>>({ ...base, client });
    const error = await writer.add({ id: 1, ['k\uDC00']: 'v' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).details).toEqual({ field: 'k\uDC00' });
    await writer.close();
  });

  it('sends the JSON it encoded on add with each batch, halves included', async () => {
    const { client } = fakeClient(async (rows) => {
      if (rows.length > 1 && rows.some((row) => row.id === 2)) throw badData();
    });
    const writer = createBatchWriter<Row>({ ...base, client, onRejected: () => {} });
    for (const id of [1, 2, 3]) await writer.add({ id, text: `row "${id}"` });
    await writer.flush();
    for (const [, rows, options] of client.insert.mock.calls) {
      expect(options?.encodedRows).toEqual(rows.map((row) => JSON.stringify(row)));
    }
    expect(client.insert.mock.calls.map(([, rows]) => rows.length)).toEqual([3, 2, 1, 1, 1]);
    await writer.close();
  });

  it('sends rows as RowBinary with column types', async () => {
    const { client, written } = fakeClient();
    const writer = createBatchWriter<Row>({
      ...base,
      client,
      columnTypes: { id: 'UInt16', text: 'String' },
    });
    for (const id of [1, 2, 3]) await writer.add({ id, text: 'é' });
    await writer.flush();
    const options = client.insert.mock.calls[0]?.[2];
    expect(options?.encodedRows).toBeUndefined();
    // Per row: UInt16 little-endian, then the String's byte length and its UTF-8 bytes.
    expect(Buffer.from(options?.rowBinary ?? []).toString('hex')).toBe(
      '010002c3a9' + '020002c3a9' + '030002c3a9',
    );
    expect(written).toHaveLength(3);
    await writer.close();
  });

  it('writes RowBinary and JSON rows in runs', async () => {
    const { client } = fakeClient();
    const writer = createBatchWriter<Record<string, unknown>>({
      ...base,
      client,
      maxRows: 5,
      columnTypes: { id: 'UInt16', text: 'String' },
    });
    // A number in the String column has no RowBinary form, so its row goes as JSON.
    for (const row of [
      { id: 1, text: 'a' },
      { id: 2, text: 'b' },
      { id: 3, text: 4 },
    ]) {
      await writer.add(row);
    }
    await writer.add({ id: 4, text: 'd' });
    await writer.add({ id: 70_000, text: 'e' });
    await writer.flush();
    const calls = client.insert.mock.calls.map(([, rows, options]) => ({
      ids: rows.map((row) => (row as Row).id),
      format: options?.rowBinary === undefined ? 'JSON' : 'RowBinary',
    }));
    expect(calls).toEqual([
      { ids: [1, 2], format: 'RowBinary' },
      { ids: [3], format: 'JSON' },
      { ids: [4], format: 'RowBinary' },
      { ids: [70_000], format: 'JSON' },
    ]);
    expect(client.insert.mock.calls[1]?.[2]?.encodedRows).toEqual(['{"id":3,"text":4}']);
    await writer.close();
  });

  it('halves a rejected RowBinary batch', async () => {
    const { client } = fakeClient(async (rows) => {
      if (rows.some((row) => row.id === 2)) throw badData();
    });
    const rejected: Row[] = [];
    const writer = createBatchWriter<Row>({
      ...base,
      client,
      columnTypes: { id: 'UInt16', text: 'String' },
      onRejected: (rows) => {
        rejected.push(...rows);
      },
    });
    for (const id of [1, 2, 3]) await writer.add({ id, text: '' });
    await writer.flush();
    const sizes = client.insert.mock.calls.map(([, , options]) => options?.rowBinary?.length);
    expect(sizes).toEqual([9, 6, 3, 3, 3]);
    expect(rejected).toEqual([{ id: 2, text: '' }]);
    await writer.close();
  });

  it('rejects lone surrogates with column types', async () => {
    const { client } = fakeClient();
    const writer = createBatchWriter<Row>({
      ...base,
      client,
      columnTypes: { id: 'UInt16', text: 'String' },
    });
    const error = await writer
      .add({ id: 1, text: 'bad \uD800' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).details).toEqual({ field: 'text' });
    expect(writer.stats().bufferedRows).toBe(0);
    await writer.close();
  });

  it('close gives up after its timeout', async () => {
    const { client } = fakeClient(async () => {
      throw unavailable();
    });
    const writer = createBatchWriter<Row>({
      ...base,
      client,
      retry: { initialDelayMs: 5, maxDelayMs: 5 },
    });
    for (const id of [1, 2, 3, 4]) await writer.add({ id });
    const error = await writer.close({ timeoutMs: 50 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).code).toBe('CIEM_CLICKHOUSE_WRITER_CLOSED');
    expect(writer.stats().unwrittenRows).toBe(4);
    expect(writer.stats().writtenRows).toBe(0);
  });

  it('refuses rows after close', async () => {
    const { client } = fakeClient();
    const writer = createBatchWriter<Row>({ ...base, client });
    await writer.close();
    await expect(writer.add({ id: 1 })).rejects.toBeInstanceOf(CiemError);
    await expect(writer.add({ id: 1 })).rejects.toThrow(/closed/);
  });

  it('stops after maxAttempts', async () => {
    const { client } = fakeClient(async () => {
      throw unavailable();
    });
    const writer = createBatchWriter<Row>({
      ...base,
      client,
      retry: { maxAttempts: 3, initialDelayMs: 1 },
    });
    await writer.add({ id: 1 });
    await expect(writer.flush()).rejects.toThrow(/retries ran out after 3 attempts/);
    expect(client.insert).toHaveBeenCalledTimes(3);
    await writer.close();
  });

  it('validates its options', () => {
    const { client } = fakeClient();
    expect(() => createBatchWriter({ ...base, client, maxBufferedRows: 2 })).toThrow(ConfigError);
    expect(() => createBatchWriter({ ...base, client, columns: [] })).toThrow(ConfigError);
    expect(() => createBatchWriter({ ...base, client, table: 'x; DROP' })).toThrow(InputError);
    expect(() => createBatchWriter({ ...base, client, maxWaitMs: 0 })).toThrow(/maxWaitMs/);
    expect(() => createBatchWriter({ ...base, client, columnTypes: { id: 'UInt16' } })).toThrow(
      /columnTypes must give column text/,
    );
  });
});

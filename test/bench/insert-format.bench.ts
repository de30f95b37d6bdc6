/**
 * CPU of writing the same `events` rows as JSONEachRow and as RowBinary, in the ClickHouse
 * server and in this process, without Kafka.
 *
 *   bash deploy/local/clickhouse.sh start
 *   npx tsx test/bench/insert-format.bench.ts [records per provider, default 20000] [rounds, default 5]
 *
 * The hand-made CloudTrail, Azure and GCP records of the pipeline bench are normalized once
 * into `events` rows. Each round then writes all rows once per format, alternating, each time
 * into a fresh database, in INSERTs of 4 000 rows (about the size of the normalizer stage's
 * Kafka batches). The server's CPU is read from `/proc` from the first INSERT until 4 seconds
 * after the last, so the merges the INSERTs start are counted as well. It needs the server of
 * `deploy/local/`, whose pid file gives its process.
 */
import { Buffer } from 'node:buffer';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createBatchWriter, createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { ClickHouse } from '@ciem/clickhouse';
import type { EventRow } from '@ciem/event-store';
import { EVENT_COLUMNS, EVENT_COLUMN_TYPES, toEventRow } from '@ciem/event-store';
import { isNormalizationError } from '@ciem/events';
import { normalizeText, readRecords } from '@ciem/normalize';
import { clickhouseUrl, randomName } from '@ciem/testing';
import { writeFixtureFiles } from '../e2e/support/fixtures.js';
import { serverCpuSeconds } from './support/server-cpu.js';

const perProvider = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 5);
const rowsPerInsert = 4_000;
const settleMs = 4_000;
const SERVER = 'ClickHouse server';

/** Normalizes the pipeline bench's records into `events` rows. */
async function eventRows(): Promise<EventRow[]> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'ciem-insert-bench-'));
  try {
    const files = await writeFixtureFiles(folder, { perProvider, tag: randomName('bench') });
    const rows: EventRow[] = [];
    for (const file of files) {
      for await (const item of readRecords(file, { name: file })) {
        if ('kind' in item || item.provider === undefined) continue;
        const event = normalizeText(item.provider, Buffer.from(item.text, 'utf8'), {
          rawRef: `bench/0/${rows.length}`,
          ingestTime: Date.now(),
        });
        if (!isNormalizationError(event)) rows.push(toEventRow(event));
      }
    }
    return rows;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes every row into a fresh database and returns the server's and this process's CPU seconds. */
async function writeAll(
  client: ClickHouse,
  rows: readonly EventRow[],
  rowBinary: boolean,
): Promise<{ server: number; client: number }> {
  const database = randomName('ciem_insert_bench');
  await client.ensureDatabase(database);
  await runMigrations({ client, database });
  await sleep(1_000);
  try {
    const writer = createBatchWriter<EventRow>({
      client,
      table: `${database}.events`,
      columns: EVENT_COLUMNS,
      ...(rowBinary ? { columnTypes: EVENT_COLUMN_TYPES } : {}),
      maxRows: rowsPerInsert,
      maxWaitMs: 1_000,
      maxBufferedRows: rowsPerInsert * 4,
    });
    const serverBefore = serverCpuSeconds().get(SERVER);
    const clientBefore = process.cpuUsage();
    for (const row of rows) await writer.add(row);
    await writer.close();
    const used = process.cpuUsage(clientBefore);
    await sleep(settleMs);
    const serverAfter = serverCpuSeconds().get(SERVER);
    if (serverBefore === undefined || serverAfter === undefined) {
      throw new Error(
        'the ClickHouse server of deploy/local was not found; start it with bash deploy/local/clickhouse.sh start',
      );
    }
    return { server: serverAfter - serverBefore, client: (used.user + used.system) / 1e6 };
  } finally {
    await client.command(`DROP DATABASE IF EXISTS ${database}`);
  }
}

async function main(): Promise<void> {
  const rows = await eventRows();
  const client = createClickHouse({ url: clickhouseUrl });
  const microseconds = (seconds: number) => ((seconds / rows.length) * 1e6).toFixed(1);
  try {
    process.stdout.write(`rows: ${rows.length}, ${rowsPerInsert} per INSERT\n`);
    for (let round = 1; round <= rounds; round += 1) {
      for (const rowBinary of [false, true]) {
        const used = await writeAll(client, rows, rowBinary);
        const format = rowBinary ? 'RowBinary  ' : 'JSONEachRow';
        process.stdout.write(
          `round ${round} ${format} CPU per row in microseconds: server ${microseconds(used.server)}, this process ${microseconds(used.client)}\n`,
        );
      }
    }
  } finally {
    await client.close();
  }
}

await main();

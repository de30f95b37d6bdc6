import { createBatchWriter, createClickHouse, runMigrations } from '@ciem/clickhouse';
import type { BatchWriter, ClickHouse } from '@ciem/clickhouse';
// The boundary rule does not tell test files apart; @ciem/testing is used only by tests.
import { clickhouseModernUrl, clickhouseUrl, randomName } from '@ciem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from './event-row.js';
import { EVENT_COLUMNS, EVENT_COLUMN_TYPES } from './event-row.js';
import { wellFormed } from './well-formed.js';

// The same rows go into two databases, once as JSONEachRow and once as RowBinary, and the
// stored bytes of every column are compared. This runs on the ClickHouse of
// CIEM_CLICKHOUSE_URL and, when CIEM_CLICKHOUSE_MODERN_URL is set, on the modern one too.
const servers: Array<[string, string]> = [
  ['ClickHouse at CIEM_CLICKHOUSE_URL', clickhouseUrl],
  ...(clickhouseModernUrl === undefined
    ? []
    : [['the modern ClickHouse', clickhouseModernUrl] as [string, string]]),
];

function eventRow(eventId: string, overrides: Partial<Record<keyof EventRow, unknown>> = {}) {
  const row: EventRow = {
    event_id: eventId,
    provider: 'aws',
    // 2025-03-04T05:06:07.123Z
    event_time: 1_741_064_767,
    event_time_ms: 1_741_064_767_123,
    ingest_time: 1_741_064_800,
    schema_version: 1,
    log_type: '',
    account_id: '111122223333',
    tenant_id: '',
    region: 'eu-west-1',
    principal_id: 'arn:aws:iam::111122223333:role/app',
    principal_type: 'role',
    principal_name: 'app',
    session_id: '',
    session_name: 'i-0abc',
    session_source_identity: '',
    session_issued_at_ms: 1_741_064_000_000,
    session_chain: ['arn:aws:iam::111122223333:role/base'],
    actor: '',
    access_key_id: 'ASIAEXAMPLE',
    mfa: -1,
    service: 's3',
    operation: 'GetObject',
    permissions: ['s3:GetObject'],
    mapping: 'mapped',
    visibility: 'logged',
    read_only: 1,
    category: 'data',
    resources: ['arn:aws:s3:::bucket/key'],
    resource_types: ['AWS::S3::Object'],
    outcome: 'success',
    error_code: '',
    error_message: '',
    source_ip: '192.0.2.10',
    user_agent: 'aws-sdk-js/3',
    via_service: '',
    vpc_endpoint: '',
    phase: '',
    correlation_id: '',
    raw_ref: 'ciem.raw.aws.cloudtrail/0/1',
  };
  return { ...row, ...overrides } as EventRow;
}

const controls =
  'nul \u0000 tab \t cr \r lf \n quote " apostrophe \' backslash \\ del \u007f \u0001';
const emptyText = Object.fromEntries(
  EVENT_COLUMNS.filter((column) => EVENT_COLUMN_TYPES[column] === 'String').map((column) => [
    column,
    '',
  ]),
);

/** Rows that both encodings must store alike; some have no RowBinary form and go as JSON. */
const trickyRows: EventRow[] = [
  eventRow('plain'),
  eventRow('unicode', {
    principal_name: 'Zoë 漢字 \uD83D\uDE00 \uD83D\uDC69\u200D\uD83D\uDCBB e\u0301 שלום \uFFFD',
    user_agent: 'é',
    resources: ['arn:aws:s3:::bücket/ключ', '\uD83D\uDE00'],
  }),
  eventRow('controls', { error_message: controls, permissions: [controls, ''] }),
  eventRow('empty', {
    ...emptyText,
    event_id: 'empty',
    session_chain: [],
    permissions: [],
    resources: [],
    resource_types: [],
  }),
  eventRow('many-permissions', {
    permissions: Array.from({ length: 300 }, (_, index) => `s3:Action${index}`),
  }),
  eventRow('boundary-lengths', {
    principal_name: 'x'.repeat(47),
    session_name: 'x'.repeat(48),
    actor: 'y'.repeat(127),
    operation: 'z'.repeat(128),
    error_message: 'long '.repeat(20_000),
    user_agent: `${'a'.repeat(46)}é`,
  }),
  eventRow('zero-dates', {
    event_time: 0,
    event_time_ms: 0,
    ingest_time: 0,
    session_issued_at_ms: 0,
  }),
  eventRow('max-values', {
    event_time: 4_294_967_295,
    ingest_time: 4_294_967_295,
    event_time_ms: Number.MAX_SAFE_INTEGER,
    session_issued_at_ms: 4_294_967_295_999,
    schema_version: 65_535,
    mfa: -128,
    read_only: 127,
  }),
  eventRow('repaired-surrogates', {
    principal_name: wellFormed('lone high \uD800 and low \uDC00'),
    permissions: [wellFormed('\uDBFF')],
  }),
  // No exact RowBinary form: these go as JSON in both writers.
  eventRow('uint64-beyond-2^53', { event_time_ms: 2 ** 53 + 2 }),
  eventRow('uint16-out-of-range', { schema_version: 70_000 }),
  eventRow('number-as-text', { schema_version: '7', event_time_ms: '18446744073709551615' }),
  eventRow('datetime-as-text', { event_time: '2025-03-04 05:06:07' }),
];

/** Rows that no writer may accept, with the field its error names. */
const invalidRows: Array<{ row: EventRow; field: string }> = [
  { row: eventRow('lone-high', { principal_name: 'bad \uD800' }), field: 'principal_name' },
  { row: eventRow('lone-low', { error_message: '\uDC00 bad' }), field: 'error_message' },
  { row: eventRow('lone-in-array', { permissions: ['ok', 'x\uDBFF'] }), field: '1' },
];

/** Builds a SELECT of every `events` column as text that shows its exact bytes. */
function selectBytes(database: string): string {
  const expressions = EVENT_COLUMNS.map((column) => {
    const type = EVENT_COLUMN_TYPES[column];
    if (type === 'String') return `hex(${column}) AS ${column}`;
    if (type === 'Array(String)') return `arrayMap(x -> hex(x), ${column}) AS ${column}`;
    return `toString(${column}) AS ${column}`;
  });
  return `SELECT ${expressions.join(', ')} FROM ${database}.events ORDER BY event_id`;
}

/** Writes rows with one writer and returns the rows ClickHouse rejected and the add errors. */
async function writeRows(writer: BatchWriter<EventRow>, rows: readonly EventRow[]) {
  const addErrors: unknown[] = [];
  for (const row of rows) await writer.add(row).catch((error: unknown) => addErrors.push(error));
  await writer.close();
  return addErrors;
}

describe.each(servers)('events rows as JSON and RowBinary on %s', (_name, url) => {
  const jsonDatabase = randomName('ciem_rows_json');
  const binaryDatabase = randomName('ciem_rows_binary');
  const client = createClickHouse({ url });

  /** Formats of the INSERTs sent so far, in order. */
  const insertFormats: string[] = [];

  /** The client, recording the format of each INSERT. */
  const recordingClient: Pick<ClickHouse, 'insert'> = {
    insert(table, rows, options) {
      insertFormats.push(options?.rowBinary === undefined ? 'JSONEachRow' : 'RowBinary');
      return client.insert(table, rows, options);
    },
  };

  function writerFor(database: string, rowBinary: boolean, rejected: string[]) {
    return createBatchWriter<EventRow>({
      client: recordingClient,
      table: `${database}.events`,
      columns: EVENT_COLUMNS,
      ...(rowBinary ? { columnTypes: EVENT_COLUMN_TYPES } : {}),
      maxRows: 100,
      maxWaitMs: 60_000,
      maxBufferedRows: 400,
      onRejected: (rows) => {
        rejected.push(...rows.map((row) => row.event_id));
      },
    });
  }

  beforeAll(async () => {
    await runMigrations({ client, database: jsonDatabase });
    await runMigrations({ client, database: binaryDatabase });
  });

  afterAll(async () => {
    await client.command(`DROP DATABASE IF EXISTS ${jsonDatabase}`);
    await client.command(`DROP DATABASE IF EXISTS ${binaryDatabase}`);
    await client.close();
  });

  it('column types match the table', async () => {
    // DESCRIBE lists the columns in table order on 18.16, whose system.columns has no position.
    const columns = await client.query<{ name: string; type: string }>(
      `DESCRIBE TABLE ${binaryDatabase}.events`,
    );
    const types = columns.map(({ name, type }) => [
      name,
      type.replace(/^LowCardinality\((.*)\)$/, '$1').replace(/^DateTime\('UTC'\)$/, 'DateTime'),
    ]);
    expect(types).toEqual(EVENT_COLUMNS.map((column) => [column, EVENT_COLUMN_TYPES[column]]));
  });

  it('store the same bytes', async () => {
    const rejectedJson: string[] = [];
    const rejectedBinary: string[] = [];
    const jsonErrors = await writeRows(writerFor(jsonDatabase, false, rejectedJson), trickyRows);
    insertFormats.length = 0;
    const binaryErrors = await writeRows(
      writerFor(binaryDatabase, true, rejectedBinary),
      trickyRows,
    );
    // The first nine rows have a RowBinary form and the last four do not.
    expect(insertFormats).toEqual(['RowBinary', 'JSONEachRow']);
    expect(jsonErrors).toEqual([]);
    expect(binaryErrors).toEqual([]);
    expect(rejectedBinary.sort()).toEqual(rejectedJson.sort());

    const jsonRows = await client.query(selectBytes(jsonDatabase));
    const binaryRows = await client.query(selectBytes(binaryDatabase));
    expect(jsonRows.length).toBe(trickyRows.length - rejectedJson.length);
    expect(binaryRows).toEqual(jsonRows);
  });

  it('reject lone surrogates alike', async () => {
    const rows = invalidRows.map((entry) => entry.row);
    const jsonErrors = await writeRows(writerFor(jsonDatabase, false, []), rows);
    const binaryErrors = await writeRows(writerFor(binaryDatabase, true, []), rows);
    const describe = (errors: unknown[]) =>
      errors.map((error) => {
        const { code, details } = error as { code: string; details: unknown };
        return { code, details };
      });
    const expected = invalidRows.map(({ field }) => ({
      code: 'CIEM_CLICKHOUSE_INVALID_ROW',
      details: { field },
    }));
    expect(describe(jsonErrors)).toEqual(expected);
    expect(describe(binaryErrors)).toEqual(expected);
  });
});

/**
 * Load benchmark of the query API: fills a random ClickHouse database with synthetic
 * events (10 million by default), alerts and recommendations, starts the API in a child
 * process on loopback, and runs autocannon against the alert and principal queries. Prints
 * requests per second and p99 latency per query and whether p99 is under 200 ms, then drops
 * the database. Not part of the test run: `npx nx run @ciem/api:bench`.
 *
 * Environment, all optional, with defaults: CIEM_CLICKHOUSE_URL (http://127.0.0.1:8123),
 * CIEM_API_BENCH_EVENTS (10000000), CIEM_API_BENCH_PRINCIPALS (5000),
 * CIEM_API_BENCH_ALERTS (100000), CIEM_API_BENCH_SECONDS per query (20),
 * CIEM_API_BENCH_CONNECTIONS (10), CIEM_API_BENCH_DATABASE (a database to reuse: it is
 * filled only when it has no events and is kept at the end, for repeated measurements).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { createClickHouse, runMigrations } from '@ciem/clickhouse';

const clickhouseUrl = process.env.CIEM_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const EVENTS = Number(process.env.CIEM_API_BENCH_EVENTS ?? 10_000_000);
const PRINCIPALS = Number(process.env.CIEM_API_BENCH_PRINCIPALS ?? 5_000);
const ALERTS = Number(process.env.CIEM_API_BENCH_ALERTS ?? 100_000);
const SECONDS = Number(process.env.CIEM_API_BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.CIEM_API_BENCH_CONNECTIONS ?? 10);
const TARGET_P99_MS = 200;
const DAY_SECONDS = 86_400;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const reusedDatabase = process.env.CIEM_API_BENCH_DATABASE;
const database =
  reusedDatabase ?? `api_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
const key = randomBytes(24).toString('hex');
const keyHash = createHash('sha256').update(key).digest('hex');
const clickhouse = createClickHouse({ url: clickhouseUrl, database, requestTimeoutMs: 1_800_000 });
const nowSeconds = Math.floor(Date.now() / 1000);

// Shared expressions of the generated rows: 8 accounts (4 AWS, 2 Azure, 2 GCP), a skewed
// principal distribution (a few principals make most calls), 30 days of times.
const principal = `toUInt32(pow((intHash32(number) % 1000000) / 1000000, 2) * ${PRINCIPALS})`;
const account = `(${principal} % 8)`;
const provider = `multiIf(${account} < 4, 'aws', ${account} < 6, 'azure', 'gcp')`;

/** Runs one timed step and prints its duration. */
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function fill(): Promise<void> {
  await clickhouse.ensureDatabase(database);
  await runMigrations({ client: clickhouse, database });
  const [existing] = await clickhouse.query<{ events: string }>(
    `SELECT count() AS events FROM ${database}.events`,
  );
  if (Number(existing?.events) > 0) {
    console.log(`reusing ${existing?.events} events in ${database}`);
    return;
  }
  await step(`insert ${EVENTS} events`, () =>
    clickhouse.command(
      `INSERT INTO ${database}.events (event_id, provider, event_time, event_time_ms, ingest_time,
         schema_version, log_type, account_id, region, principal_id, principal_type, principal_name,
         mfa, service, operation, permissions, mapping, visibility, read_only, category,
         resources, resource_types, outcome, error_code, source_ip, user_agent, phase, raw_ref)
       SELECT event_id, provider, event_time, event_time_ms, ingest_time, schema_version,
         log_type, account_id, region, principal_id, principal_type, principal_name, mfa, service,
         operation, permissions, mapping, visibility, read_only, category, resources,
         resource_types, outcome, error_code, source_ip, user_agent, phase, raw_ref
       FROM (SELECT
         concat('bench-', toString(number)) AS event_id,
         ${provider} AS provider,
         toDateTime(${nowSeconds} - intHash32(number * 7) % (30 * ${DAY_SECONDS}), 'UTC') AS event_time,
         toUInt64(toUnixTimestamp(event_time)) * 1000 + number % 1000 AS event_time_ms,
         event_time AS ingest_time,
         1 AS schema_version, 'bench' AS log_type,
         toString(100000000000 + ${account}) AS account_id, 'eu-west-1' AS region,
         concat(provider, ':principal-', toString(${principal})) AS principal_id,
         'role' AS principal_type, concat('principal-', toString(${principal})) AS principal_name,
         -1 AS mfa,
         (${principal} * 7 + intHash32(number * 3) % 8) % 480 AS permission_index,
         concat('svc', toString(permission_index % 12)) AS service,
         concat('Action', toString(intDiv(permission_index, 12))) AS operation,
         [concat(service, ':', operation)] AS permissions, 'exact' AS mapping,
         'logged' AS visibility, 0 AS read_only, 'management' AS category,
         [concat('resource-', toString(${principal} % 50), '-', toString(intHash32(number * 5) % 4))] AS resources,
         ['bench'] AS resource_types,
         multiIf(number % 50 = 0, 'failed', number % 12 = 0, 'denied', 'success') AS outcome,
         if(outcome = 'success', '', 'AccessDenied') AS error_code,
         '203.0.113.7' AS source_ip, 'bench-agent' AS user_agent, '' AS phase, 'bench' AS raw_ref
       FROM numbers(${EVENTS}))`,
      { settings: { max_execution_time: 1800 } },
    ),
  );
  await step(`insert ${ALERTS} alerts`, () =>
    clickhouse.command(
      `INSERT INTO ${database}.alerts (alert_id, dedupe_key, rule_id, rule_name, severity, provider,
         account_id, principal_id, principal_type, principal_name, title, description,
         mitre_techniques, window_start_ms, first_seen_ms, last_seen_ms, first_seen, event_count,
         evidence_event_ids, source_ips, details, created_at_ms, schema_version)
       SELECT concat('alert-', toString(number)), concat('dedupe-', toString(number)),
         concat('rule-', toString(number % 9)), 'Bench rule',
         arrayElement(['info', 'low', 'medium', 'high', 'critical'], number % 5 + 1),
         ${provider}, toString(100000000000 + ${account}),
         concat(${provider}, ':principal-', toString(${principal})), 'role', 'bench', 'Bench alert',
         'Synthetic alert', ['T1078'], first_ms, first_ms, first_ms + 60000,
         toDateTime(intDiv(first_ms, 1000), 'UTC'), 1 + number % 20, ['bench-1'], ['203.0.113.7'],
         '{}', first_ms + 60000, 1
       FROM (SELECT number, toUInt64(${nowSeconds} - intHash32(number * 13) % (30 * ${DAY_SECONDS})) * 1000 AS first_ms
             FROM numbers(${ALERTS}))`,
    ),
  );
  await step(`insert ${PRINCIPALS} recommendations`, () =>
    clickhouse.command(
      `INSERT INTO ${database}.recommendations (provider, account_id, principal_id, principal_type,
         principal_name, team, status, window_start, window_end, window_days, last_activity, score,
         confidence, used_count, recommendation_kind, recommendation, result, written_at)
       SELECT ${provider}, toString(100000000000 + ${account}),
         concat(${provider}, ':principal-', toString(${principal})), 'role', 'bench',
         concat('team-', toString(number % 6)), 'active',
         toDateTime(${nowSeconds - 31 * DAY_SECONDS}, 'UTC'), toDateTime(${nowSeconds - DAY_SECONDS}, 'UTC'),
         30, toDateTime(${nowSeconds - DAY_SECONDS}, 'UTC'), (number * 37) % 100, 0.8, 10, 'aws-policy',
         '{}', '{}', toDateTime(${nowSeconds}, 'UTC')
       FROM numbers(${PRINCIPALS})`,
    ),
  );
  // The 10 INSERT blocks leave 10 parts of principal_activity, each with a row per principal
  // and day. Background merges fold them within minutes on a live store, so the benchmark
  // merges them now instead of measuring an unmerged table.
  await step('merge principal_activity', () =>
    clickhouse.command(`OPTIMIZE TABLE ${database}.principal_activity FINAL`),
  );
  const [counts] = await clickhouse.query<{ events: string; usage: string }>(
    `SELECT (SELECT count() FROM ${database}.events) AS events,
            (SELECT count() FROM ${database}.permission_usage) AS usage`,
  );
  console.log(`rows: events ${counts?.events}, permission_usage ${counts?.usage}`);
}

/** Starts the API in a child process and resolves with its base URL and the child. */
async function startApi() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/api/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      CIEM_API_PORT: '0',
      CIEM_PROBE_PORT: '0',
      CIEM_API_KEYS: `bench:read:${keyHash}`,
      CIEM_API_RATE_LIMIT_MAX: '100000000',
      CIEM_API_LAG_GROUPS: 'bench=bench',
      CIEM_CLICKHOUSE_URL: clickhouseUrl,
      CIEM_CLICKHOUSE_DATABASE: database,
      CIEM_MIGRATIONS_ENABLED: 'false',
      CIEM_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /"msg":"API listening"/.test(line) ? /"url":"([^"]+)"/.exec(line) : null;
      if (match !== null) resolve(match[1] as string);
    });
    child.once('exit', (code) =>
      reject(new Error(`the API exited with code ${code} before listening`)),
    );
  });
  return { url, child };
}

interface Measured {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function measure(name: string, baseUrl: string, paths: () => string): Promise<Measured> {
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'x-api-key': key },
    requests: [{ setupRequest: (request: { path: string }) => ({ ...request, path: paths() }) }],
  });
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  };
}

async function main(): Promise<void> {
  console.log(`database ${database} on ${clickhouseUrl}`);
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  try {
    await fill();
    api = await startApi();
    const randomPrincipal = () => {
      const index = Math.floor(Math.random() ** 2 * PRINCIPALS);
      const providerName = ['aws', 'aws', 'aws', 'aws', 'azure', 'azure', 'gcp', 'gcp'][index % 8];
      return encodeURIComponent(`${providerName}:principal-${index}`);
    };
    const severities = ['critical', 'high', 'medium', 'low', 'info'];
    const runs = [
      await measure('alerts (7 days, one severity, 100 rows)', api.url, () => {
        const severity = severities[Math.floor(Math.random() * severities.length)];
        return `/v1/alerts?severity=${severity}&limit=100`;
      }),
      await measure(
        'principals list (7 days, 100 rows)',
        api.url,
        () => '/v1/principals?limit=100',
      ),
      await measure(
        'principal detail (7 days)',
        api.url,
        () => `/v1/principals/${randomPrincipal()}`,
      ),
    ];
    console.log('\n| query | requests | requests/s | p50 ms | p99 ms | p99 < 200 ms | non-2xx |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- | ---: |');
    for (const run of runs) {
      console.log(
        `| ${run.name} | ${run.requests} | ${run.rps.toFixed(1)} | ${run.p50} | ${run.p99} | ${run.p99 < TARGET_P99_MS ? 'yes' : 'no'} | ${run.non2xx} |`,
      );
    }
  } finally {
    api?.child.kill('SIGTERM');
    if (reusedDatabase === undefined) {
      await clickhouse.command(`DROP DATABASE IF EXISTS ${database}`).catch((error: unknown) => {
        console.error(`dropping ${database} failed; drop it by hand`, error);
      });
    }
    await clickhouse.close();
  }
}

await main();

/**
 * Benchmark: right-sizing of 10,000 AWS principals over 90 days of usage rows, one row per
 * day, principal and permission (the shape of ClickHouse `permission_usage`). Prints the
 * analysis time and its ratio to one scan of the same rows that builds a Map, the least
 * any analysis must do. Run: `npx nx run @ciem/rightsizing:bench`.
 */
import type { PrincipalEntitlements } from '@ciem/entitlements';
import type { PermissionUsage } from '@ciem/usage';
import { performance } from 'node:perf_hooks';
import { analyzeRightsizing } from '../src/index.js';

const PRINCIPALS = 10_000;
const DAYS = 90;
const DAY_MS = 86_400_000;
const WINDOW_END = Date.UTC(2026, 3, 1);
const ACCOUNTS = 20;

/** Real IAM actions the generated policies grant, in catalog spelling. */
const ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  's3:DeleteObject',
  'ec2:DescribeInstances',
  'ec2:StartInstances',
  'ec2:StopInstances',
  'ec2:TerminateInstances',
  'ec2:CreateTags',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:DescribeTable',
  'lambda:InvokeFunction',
  'lambda:GetFunction',
  'lambda:UpdateFunctionCode',
  'sqs:SendMessage',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'kms:Decrypt',
  'kms:Encrypt',
  'iam:GetRole',
  'iam:ListRoles',
  'iam:PassRole',
  'iam:CreateAccessKey',
  'sts:AssumeRole',
  'logs:PutLogEvents',
  'logs:CreateLogStream',
  'cloudwatch:PutMetricData',
  'ssm:GetParameter',
  'secretsmanager:GetSecretValue',
  'sns:Publish',
];

/** Deterministic generator (mulberry32), so every run measures the same data. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function generate(): { principals: PrincipalEntitlements[]; rows: PermissionUsage[] } {
  const next = random(42);
  const principals: PrincipalEntitlements[] = [];
  const rows: PermissionUsage[] = [];
  for (let index = 0; index < PRINCIPALS; index += 1) {
    const account = String(100_000_000_000 + (index % ACCOUNTS));
    const id = `arn:aws:iam::${account}:role/app-${index}`;
    const granted = ACTIONS.filter(() => next() < 0.6);
    principals.push({
      provider: 'aws',
      account_id: account,
      principal_id: id,
      principal_type: 'role',
      principal_name: `app-${index}`,
      tags: { team: `team-${index % 12}` },
      grants: granted.map((permission) => ({
        permission,
        resource: '*',
        conditional: false,
        via: `arn:aws:iam::${account}:policy/app`,
      })),
      findings: [],
    });
    // One in ten principals is idle; the others use about a third of their grants.
    if (index % 10 === 0) continue;
    const used = granted.filter(() => next() < 0.35);
    for (let day = 0; day < DAYS; day += 1) {
      const dayStart = WINDOW_END - (DAYS - day) * DAY_MS;
      for (const permission of used) {
        if (next() < 0.5) continue;
        rows.push({
          provider: 'aws',
          account_id: account,
          principal_id: id,
          permission,
          visibility: permission.startsWith('s3:') ? 'data-event' : 'logged',
          allowed_count: 1 + Math.floor(next() * 20),
          denied_count: 0,
          first_seen: dayStart + 3_600_000,
          last_seen: dayStart + 7_200_000,
          resources: [],
        });
      }
    }
  }
  return { principals, rows };
}

function scanRows(rows: readonly PermissionUsage[]): number {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.principal_id}\u0000${row.permission}`;
    counts.set(key, (counts.get(key) ?? 0) + row.allowed_count);
  }
  return counts.size;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const { principals, rows } = generate();
console.log(
  `${PRINCIPALS} principals, ${DAYS} days, ${rows.length} usage rows (one per day, principal and permission)`,
);

// One warm-up of each so both are measured with compiled code.
scanRows(rows);
analyzeRightsizing(
  { principals: principals.slice(0, 500), usage: rows.slice(0, 50_000) },
  {
    windowEnd: WINDOW_END,
  },
);

const scans: number[] = [];
const analyses: number[] = [];
let results = 0;
for (let round = 0; round < 3; round += 1) {
  scans.push(timed(() => scanRows(rows)).ms);
  const analysis = timed(() =>
    analyzeRightsizing({ principals, usage: rows }, { windowEnd: WINDOW_END }),
  );
  analyses.push(analysis.ms);
  results = analysis.value.length;
}
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[1] ?? 0;
const scan = median(scans);
const analysis = median(analyses);
console.log(`scan of the rows into a Map: ${scan.toFixed(0)} ms (median of 3)`);
console.log(
  `right-sizing analysis: ${analysis.toFixed(0)} ms for ${results} results (median of 3)`,
);
console.log(`ratio: ${(analysis / scan).toFixed(2)}x (goal at most 3x)`);

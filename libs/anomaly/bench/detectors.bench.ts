/**
 * Throughput and memory benchmark of the anomaly detectors.
 *
 *   node --expose-gc --import tsx libs/anomaly/bench/detectors.bench.ts
 *
 * Builds CIEM_BENCH_PRINCIPALS (default 100,000) principals, warms each with 20 events of
 * history, then times CIEM_BENCH_EVENTS (default 1,000,000) events spread over all
 * principals on one thread: reads and writes, 2% denied, a few addresses per principal.
 * Prints events per second and the heap per principal (heap after warm-up minus heap before,
 * after a forced GC when node runs with --expose-gc).
 */
import type { NormalizedEvent } from '@ciem/events';
import { createAnomalyEngine } from '../src/index.js';

const PRINCIPALS = Number(process.env.CIEM_BENCH_PRINCIPALS ?? 100_000);
const EVENTS = Number(process.env.CIEM_BENCH_EVENTS ?? 1_000_000);
const START = Date.UTC(2026, 0, 5);
const PERMISSIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:ListBucket',
  'ec2:DescribeInstances',
  'dynamodb:Query',
  'sqs:SendMessage',
  'lambda:InvokeFunction',
  'kms:Decrypt',
];

/** mulberry32, a small seedable generator, so every run times the same stream. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const principalIds = Array.from(
  { length: PRINCIPALS },
  (_, i) => `arn:aws:iam::${100000000000 + (i % 50)}:role/service-${i}`,
);

function makeEvent(next: () => number, index: number, time: number): NormalizedEvent {
  const p = Math.floor(next() * PRINCIPALS);
  const permission = PERMISSIONS[(p + Math.floor(next() * 3)) % PERMISSIONS.length] as string;
  return {
    schema_version: 1,
    event_id: `bench-${index}`,
    provider: 'aws',
    event_time: time,
    ingest_time: time,
    log_type: 'AwsApiCall',
    account_id: String(100000000000 + (p % 50)),
    tenant_id: null,
    region: 'us-east-1',
    principal: { id: principalIds[p] as string, type: 'role', name: `service-${p}` },
    session: null,
    actor: null,
    access_key_id: `ASIA${p.toString(16).padStart(16, '0')}`,
    mfa: null,
    action: {
      service: permission.split(':')[0] as string,
      operation: permission.split(':')[1] as string,
      permissions: [permission],
      mapping: 'mapped',
      visibility: 'logged',
    },
    read_only: true,
    category: 'management',
    resources: [],
    outcome: next() < 0.02 ? 'denied' : 'success',
    error_code: null,
    error_message: null,
    source_ip: `10.${p % 200}.${Math.floor(next() * 2)}.${Math.floor(next() * 250)}`,
    user_agent: 'aws-sdk-js/3',
    via_service: null,
    vpc_endpoint: null,
    phase: null,
    correlation_id: null,
    raw_ref: `bench:${index}`,
  };
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

const next = random(42);
const heapBefore = heapUsed();
const engine = createAnomalyEngine({});
const warmupEvents = PRINCIPALS * 20;
const warmupSpan = 10 * 86_400_000;
for (let i = 0; i < warmupEvents; i++) {
  engine.observe(makeEvent(next, i, START + Math.floor((i / warmupEvents) * warmupSpan)));
  if (i % 10_000 === 0) engine.drain();
}
engine.drain();
const heapAfter = heapUsed();

const events: NormalizedEvent[] = [];
const timedStart = START + warmupSpan;
for (let i = 0; i < EVENTS; i++) {
  events.push(makeEvent(next, warmupEvents + i, timedStart + Math.floor((i / EVENTS) * 3_600_000)));
}
let alerts = 0;
const started = process.hrtime.bigint();
for (let i = 0; i < events.length; i++) {
  engine.observe(events[i] as NormalizedEvent);
  if (i % 1_000 === 999) alerts += engine.drain().length;
}
alerts += engine.drain().length;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const stats = engine.stats();
console.log(
  JSON.stringify(
    {
      principals: stats.principals,
      timed_events: EVENTS,
      seconds: Number(seconds.toFixed(2)),
      events_per_second: Math.round(EVENTS / seconds),
      alerts,
      heap_bytes_per_principal: Math.round((heapAfter - heapBefore) / stats.principals),
      gc_forced: typeof (globalThis as { gc?: unknown }).gc === 'function',
      node: process.version,
    },
    null,
    2,
  ),
);

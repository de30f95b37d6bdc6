import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AWS_CREATE_FUNCTION, AWS_GROUPS } from './catalog/aws-catalog.js';
import { AZURE_GROUPS } from './catalog/azure-catalog.js';
import { GCP_GROUPS } from './catalog/gcp-catalog.js';
import { createMemorySink } from './memory-sink.js';
import { simulateEstate } from './simulate.js';
import type { SimulateOptions } from './options.js';

const START = Date.UTC(2026, 2, 2); // a Monday
const OPTIONS: SimulateOptions = {
  seed: 'test-seed',
  start: START,
  principals: 30,
  days: 6,
  eventsPerDay: 12,
};

async function run(options: SimulateOptions) {
  const sink = createMemorySink();
  const summary = await simulateEstate(options, sink);
  return { sink, summary };
}

function digest(files: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, text] of files) out.set(path, createHash('sha256').update(text).digest('hex'));
  return out;
}

const ALL_GROUPS = [...AWS_GROUPS, ...AZURE_GROUPS, ...GCP_GROUPS];

/** CloudTrail event name to the IAM actions it exercises, from the simulator's catalog. */
const AWS_PERMISSIONS = new Map<string, readonly string[]>(
  [...AWS_GROUPS.flatMap((g) => g.calls), AWS_CREATE_FUNCTION].map((c) => [c.name, c.permissions]),
);

interface LogRecord {
  provider: 'aws' | 'azure' | 'gcp';
  id: string;
  time: string;
  record: Record<string, unknown>;
}

/** Parses every activity file the run wrote, with the id the ground truth uses. */
function readActivity(files: Map<string, string>): LogRecord[] {
  const out: LogRecord[] = [];
  for (const [path, text] of files) {
    if (path.startsWith('aws/cloudtrail/')) {
      for (const record of (JSON.parse(text) as { Records: Array<Record<string, unknown>> })
        .Records) {
        out.push({
          provider: 'aws',
          id: String(record.eventID),
          time: String(record.eventTime),
          record,
        });
      }
    } else if (path.startsWith('azure/activity/')) {
      for (const record of (JSON.parse(text) as { records: Array<Record<string, unknown>> })
        .records) {
        out.push({
          provider: 'azure',
          id: `${String(record.correlationId)}:${String(record.resultType)}`,
          time: String(record.time),
          record,
        });
      }
    } else if (path.startsWith('gcp/audit/')) {
      for (const line of text.split('\n')) {
        if (!line) continue;
        const record = JSON.parse(line) as Record<string, unknown>;
        out.push({
          provider: 'gcp',
          id: String(record.insertId),
          time: String(record.timestamp),
          record,
        });
      }
    }
  }
  return out;
}

/** Reads a nested field of parsed JSON, or undefined when any step is missing. */
function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Returns the principal id a record names, in the ground truth's form. */
function principalOf(entry: LogRecord): string | undefined {
  const r = entry.record;
  if (entry.provider === 'aws') {
    const type = field(r, 'userIdentity', 'type');
    if (type === 'IAMUser') return field(r, 'userIdentity', 'arn') as string;
    if (type === 'AssumedRole')
      return field(r, 'userIdentity', 'sessionContext', 'sessionIssuer', 'arn') as string;
    return undefined;
  }
  if (entry.provider === 'azure') {
    return field(
      r,
      'identity',
      'claims',
      'http://schemas.microsoft.com/identity/claims/objectidentifier',
    ) as string;
  }
  const email = field(r, 'protoPayload', 'authenticationInfo', 'principalEmail') as
    string | undefined;
  if (!email) return undefined;
  return email.endsWith('.gserviceaccount.com') ? `serviceAccount:${email}` : `user:${email}`;
}

/** Returns the permissions each principal's logged calls exercised, keyed by ground-truth id. */
function loggedPermissions(files: Map<string, string>): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  for (const entry of readActivity(files)) {
    const id = principalOf(entry);
    if (!id) continue;
    const r = entry.record;
    const authorization = (field(r, 'protoPayload', 'authorizationInfo') ?? []) as Array<{
      permission: string;
    }>;
    const names =
      entry.provider === 'aws'
        ? (AWS_PERMISSIONS.get(String(r.eventName)) ?? [])
        : entry.provider === 'azure'
          ? [String(r.operationName).toLowerCase()]
          : authorization.map((a) => a.permission);
    const set = used.get(id) ?? new Set<string>();
    for (const name of names) set.add(name);
    used.set(id, set);
  }
  return used;
}

describe('simulateEstate', () => {
  it('writes identical bytes for one seed', async () => {
    const first = await run(OPTIONS);
    const second = await run(OPTIONS);
    expect([...first.sink.files.keys()]).toEqual([...second.sink.files.keys()]);
    expect(digest(first.sink.files)).toEqual(digest(second.sink.files));
    expect(first.summary).toEqual(second.summary);
  });

  it('writes different bytes for another seed', async () => {
    const first = await run(OPTIONS);
    const other = await run({ ...OPTIONS, seed: 'another-seed' });
    expect(digest(first.sink.files)).not.toEqual(digest(other.sink.files));
  });

  it('writes the documented file layout', async () => {
    const { sink } = await run(OPTIONS);
    const paths = [...sink.files.keys()];
    expect(paths).toContain('estate/teams.json');
    expect(paths).toContain('ground-truth.json');
    expect(paths).toContain('azure/role-assignments.json');
    expect(paths).toContain('azure/role-definitions.json');
    expect(paths).toContain('gcp/iam-policies.ndjson');
    expect(paths).toContain('gcp/resources.ndjson');
    expect(paths).toContain('gcp/roles.json');
    expect(paths.some((p) => /^aws\/\d{12}\/iam\/authorization-details\.json$/.test(p))).toBe(true);
    const trail =
      /^aws\/cloudtrail\/AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_CloudTrail_\2_\3\4\5T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;
    expect(paths.filter((p) => p.startsWith('aws/cloudtrail/')).every((p) => trail.test(p))).toBe(
      true,
    );
    const azure = /^azure\/activity\/[0-9a-f-]{36}\/\d{4}-\d{2}-\d{2}\.json$/;
    expect(paths.filter((p) => p.startsWith('azure/activity/')).every((p) => azure.test(p))).toBe(
      true,
    );
    const gcp = /^gcp\/audit\/[a-z0-9-]+\/\d{4}-\d{2}-\d{2}\.ndjson$/;
    expect(paths.filter((p) => p.startsWith('gcp/audit/')).every((p) => gcp.test(p))).toBe(true);
  });

  it('counts events in the summary', async () => {
    const { sink, summary } = await run(OPTIONS);
    const records = readActivity(sink.files);
    for (const provider of ['aws', 'azure', 'gcp'] as const) {
      expect(summary.events[provider]).toBe(records.filter((r) => r.provider === provider).length);
    }
    expect(summary.files).toBe(sink.files.size);
    const bytes = [...sink.files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    expect(summary.bytes).toBe(bytes);
    expect(summary.principals.aws + summary.principals.azure + summary.principals.gcp).toBe(30);
  });

  it('plants every ground-truth event exactly once', async () => {
    const { sink } = await run(OPTIONS);
    const truth = JSON.parse(sink.files.get('ground-truth.json') ?? '{}');
    const records = readActivity(sink.files);
    const byId = new Map<string, LogRecord[]>();
    for (const record of records) byId.set(record.id, [...(byId.get(record.id) ?? []), record]);
    const kinds = new Set<string>();
    expect(truth.attacks.length).toBeGreaterThanOrEqual(6);
    for (const attack of truth.attacks) {
      kinds.add(`${attack.provider}:${attack.kind}`);
      expect(attack.events.length).toBeGreaterThan(0);
      for (const event of attack.events) {
        const found = byId.get(event.eventId) ?? [];
        expect(found, `${attack.kind} ${event.eventId}`).toHaveLength(1);
        const entry = found[0] as LogRecord;
        expect(entry.provider).toBe(attack.provider);
        expect(principalOf(entry)).toBe(attack.principal);
        expect(entry.time >= attack.start, `${event.eventId} before start`).toBe(true);
        expect(entry.time <= attack.end, `${event.eventId} after end`).toBe(true);
        expect(entry.time).toBe(event.time);
      }
    }
    expect(kinds).toContain('aws:privilege-escalation');
    expect(kinds).toContain('aws:logging-tampering');
    expect(kinds).toContain('aws:key-misuse');
  });

  it('uses many countries for key misuse', async () => {
    const { sink } = await run(OPTIONS);
    const truth = JSON.parse(sink.files.get('ground-truth.json') ?? '{}');
    const misuse = truth.attacks.find((a: { kind: string }) => a.kind === 'key-misuse');
    const ips = new Set(misuse.events.map((e: { sourceIp: string }) => e.sourceIp));
    expect(ips.size).toBeGreaterThanOrEqual(8);
    expect(new Set(misuse.countries).size).toBeGreaterThanOrEqual(8);
    const minutes = (Date.parse(misuse.end) - Date.parse(misuse.start)) / 60_000;
    expect(minutes).toBeLessThanOrEqual(60);
  });

  it('keeps never-used principals out of the logs', async () => {
    const { sink } = await run(OPTIONS);
    const truth = JSON.parse(sink.files.get('ground-truth.json') ?? '{}');
    const seen = new Set(readActivity(sink.files).map(principalOf));
    const neverUsed = truth.principals.filter(
      (p: { profile: string }) => p.profile === 'never-used',
    );
    expect(neverUsed.length).toBeGreaterThan(0);
    for (const principal of neverUsed) expect(seen.has(principal.id), principal.id).toBe(false);
  });

  it('keeps dormant principals silent while dormant', async () => {
    const { sink } = await run(OPTIONS);
    const truth = JSON.parse(sink.files.get('ground-truth.json') ?? '{}');
    const records = readActivity(sink.files);
    const dormant = truth.principals.filter((p: { profile: string }) => p.profile === 'dormant');
    expect(dormant.length).toBeGreaterThan(0);
    for (const principal of dormant) {
      const days = new Set(
        records.filter((r) => principalOf(r) === principal.id).map((r) => r.time.slice(0, 10)),
      );
      for (const day of days) {
        expect(
          day <= principal.dormant.lastActiveDay || day === principal.dormant.wakeDay,
          `${principal.id} ${day}`,
        ).toBe(true);
      }
    }
  });

  it('never logs unused permission groups', async () => {
    const { sink } = await run(OPTIONS);
    const truth = JSON.parse(sink.files.get('ground-truth.json') ?? '{}');
    const used = loggedPermissions(sink.files);
    for (const principal of truth.principals) {
      const seen = used.get(principal.id) ?? new Set<string>();
      for (const permission of principal.unusedPermissions as string[]) {
        if (principal.provider === 'aws') expect(seen.has(permission), permission).toBe(false);
        if (principal.provider === 'azure')
          expect(seen.has(permission.toLowerCase()), permission).toBe(false);
        if (principal.provider === 'gcp') expect(seen.has(permission), permission).toBe(false);
      }
    }
  });

  it('logs every permission of used groups', async () => {
    const { sink } = await run(OPTIONS);
    const truth = JSON.parse(sink.files.get('ground-truth.json') ?? '{}');
    const used = loggedPermissions(sink.files);
    const attacked = new Set(
      truth.attacks.map((attack: { principal: string }) => attack.principal),
    );
    const groups = new Map(ALL_GROUPS.map((group) => [group.id, group]));
    const rightSized = truth.principals.filter(
      (p: { profile: string; id: string }) => p.profile === 'right-sized' && !attacked.has(p.id),
    );
    expect(rightSized.length).toBeGreaterThan(0);
    for (const principal of rightSized) {
      expect(principal.unusedPermissions, principal.id).toEqual([]);
      const seen = used.get(principal.id) ?? new Set<string>();
      for (const id of principal.usedPermissionGroups as string[]) {
        for (const call of groups.get(id)?.calls ?? []) {
          for (const permission of call.permissions) {
            const name = principal.provider === 'azure' ? permission.toLowerCase() : permission;
            expect(seen.has(name), `${principal.id} ${permission}`).toBe(true);
          }
        }
      }
    }
  });

  it('denies a small share of calls', async () => {
    const { sink } = await run({ ...OPTIONS, eventsPerDay: 40 });
    const records = readActivity(sink.files).filter((r) => r.provider === 'aws');
    const denied = records.filter((r) => r.record.errorCode !== undefined).length;
    expect(denied / records.length).toBeGreaterThan(0.003);
    expect(denied / records.length).toBeLessThan(0.05);
  });
});

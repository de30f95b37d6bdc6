import type { NormalizedEvent } from '@ciem/events';
import { describe, expect, it } from 'vitest';
import { normalizeRecord, readFixture } from './testing/provider-record.js';
import type { ProviderRecord } from './testing/provider-record.js';
import { ruleIds, runScenario } from './testing/run-scenario.js';

// Azure Monitor, "Azure Activity Log event schema", Administrative category: for a write,
// delete or action operation Resource Manager records both the start and the success or
// failure of that operation, and `status` (`resultType` in diagnostic-settings exports) is
// Started, then Succeeded or Failed. One operation is therefore one call, and only its
// last record shows whether it succeeded.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2024, 2, 4);

type Phase = 'started' | 'succeeded' | 'conflict';

/** The result fields of each phase as a diagnostic-settings export writes them. */
const PHASE_FIELDS: Record<
  Phase,
  { resultType: string; resultSignature: string; status?: object }
> = {
  started: { resultType: 'Start', resultSignature: 'Started.' },
  succeeded: {
    resultType: 'Success',
    resultSignature: 'Succeeded.Created',
    status: { statusCode: 'Created' },
  },
  conflict: {
    resultType: 'Failure',
    resultSignature: 'Failed.Conflict',
    status: {
      statusCode: 'Conflict',
      statusMessage: JSON.stringify({
        error: { code: 'RoleAssignmentExists', message: 'The role assignment already exists.' },
      }),
    },
  },
};

interface OperationShape {
  /** Operation number, which names the resource and the correlation id. */
  index: number;
  time: number;
  /** The ARM operation, lower-cased as in the permission, when not the fixture's own. */
  operation?: string;
}

/** Copies a Start record of the fixture into the record of `phase` of one operation. */
function operationRecord(
  template: ProviderRecord,
  phase: Phase,
  { index, time, operation }: OperationShape,
): NormalizedEvent {
  const fields = PHASE_FIELDS[phase];
  const suffix = String(index).padStart(3, '0');
  const record: ProviderRecord = structuredClone(template);
  record['time'] = new Date(time).toISOString();
  record['resultType'] = fields.resultType;
  record['resultSignature'] = fields.resultSignature;
  record['correlationId'] = `5d4c3b2a-0000-4000-8000-000000000${suffix}`;
  record['resourceId'] = String(record['resourceId']).replace(/-000$/, `-${suffix}`);
  record['properties'] = { ...(record['properties'] as object), ...fields.status };
  if (operation !== undefined) {
    record['operationName'] = operation.toUpperCase();
    const identity = record['identity'] as { authorization: { action: string } };
    identity.authorization.action = operation;
  }
  return normalizeRecord(record, `${phase}-${suffix}`);
}

/** Builds the Start record and the final record of one operation, one second apart. */
function operation(
  template: ProviderRecord,
  outcome: Exclude<Phase, 'started'>,
  shape: OperationShape,
): NormalizedEvent[] {
  return [
    operationRecord(template, 'started', shape),
    operationRecord(template, outcome, { ...shape, time: shape.time + 1000 }),
  ];
}

/** Builds ten VM writes a day in working hours, each a started and a succeeded record. */
function vmHistory(template: ProviderRecord, days: number): NormalizedEvent[] {
  const events: NormalizedEvent[] = [];
  for (let day = 0; day < days; day++) {
    for (let i = 0; i < 10; i++) {
      const time = START + day * DAY + 9 * HOUR + i * 30 * MINUTE;
      events.push(...operation(template, 'succeeded', { index: i, time }));
    }
  }
  return events;
}

describe('Azure operation records', () => {
  const roleAssignment = readFixture('azure-role-assignment-write-started.json');
  const vmWrite = readFixture('azure-vm-write-started.json');

  it('ignores a role assignment that failed', () => {
    const alerts = runScenario(operation(roleAssignment, 'conflict', { index: 1, time: START }));
    expect(alerts).toEqual([]);
  });

  it('counts a succeeded role assignment once', () => {
    const events = operation(roleAssignment, 'succeeded', { index: 1, time: START });
    const alerts = runScenario(events);
    expect(ruleIds(alerts)).toEqual(['privilege-escalation']);
    expect(alerts[0]?.event_count).toBe(1);
    expect(alerts[0]?.evidence_event_ids).toEqual([events[1]?.event_id]);
  });

  it('counts 200 operations as 200 calls', () => {
    // 200 operations in one hour write 400 records; the volume rule needs 300 calls.
    const burstStart = START + 4 * DAY + 3 * HOUR;
    const burst = Array.from({ length: 200 }, (_, index) =>
      operation(vmWrite, 'succeeded', { index, time: burstStart + index * 10_000 }),
    ).flat();
    expect(runScenario([...vmHistory(vmWrite, 4), ...burst])).toEqual([]);
  });

  it('flags 320 operations in one hour', () => {
    const burstStart = START + 4 * DAY + 3 * HOUR;
    const burst = Array.from({ length: 320 }, (_, index) =>
      operation(vmWrite, 'succeeded', { index, time: burstStart + index * 10_000 }),
    ).flat();
    const alerts = runScenario([...vmHistory(vmWrite, 4), ...burst]);
    expect(ruleIds(alerts)).toEqual(['volume-spike']);
    expect(alerts[0]?.details.hour_count).toBe('300');
  });

  it('ignores a first write that failed', () => {
    const failed = operation(vmWrite, 'conflict', {
      index: 900,
      time: START + 9 * DAY + 10 * HOUR,
      operation: 'Microsoft.Network/networkSecurityGroups/write',
    });
    expect(runScenario([...vmHistory(vmWrite, 9), ...failed])).toEqual([]);
  });

  it('flags a first write that succeeded once', () => {
    const succeeded = operation(vmWrite, 'succeeded', {
      index: 900,
      time: START + 9 * DAY + 10 * HOUR,
      operation: 'Microsoft.Network/networkSecurityGroups/write',
    });
    const alerts = runScenario([...vmHistory(vmWrite, 9), ...succeeded]);
    expect(ruleIds(alerts)).toEqual(['first-use-of-permission']);
    expect(alerts[0]?.event_count).toBe(1);
  });

  it('flags a dormant return once', () => {
    const history = vmHistory(vmWrite, 2);
    const back = operation(vmWrite, 'succeeded', { index: 1, time: START + 47 * DAY });
    const alerts = runScenario([...history, ...back]);
    expect(ruleIds(alerts)).toEqual(['dormant-identity-active']);
    expect(alerts[0]?.event_count).toBe(1);
    expect(alerts[0]?.details.silent_days).toBe('45');
  });
});

// Cloud Logging API, LogEntry reference, `operation` (LogEntryOperation): entries with the
// same `operation.id` belong to one operation, and `first` and `last` mark its first and
// last entry. A long-running operation, such as Compute Engine's
// `v1.compute.instances.insert`, writes a first entry when the request is accepted and a
// last entry when it ends. One operation is therefore one call.

/** Builds the `first` or `last` entry of one GCP operation, each listing the permission check. */
function gcpEntry(
  template: ProviderRecord,
  which: 'first' | 'last',
  { index, time, operation: permission }: OperationShape,
): NormalizedEvent {
  const suffix = String(index).padStart(3, '0');
  const record: ProviderRecord = structuredClone(template);
  // The operation starts at `time` for a first entry and 20 seconds earlier for a last one.
  const started = which === 'first' ? time : time - 20_000;
  const operationId = `operation-${started}-61a2b3c4d5e6f-7a8b9c0d-00000${suffix}`;
  const instance = `projects/proj-anomaly/zones/europe-west1-b/instances/build-${suffix}`;
  record['insertId'] = `-${which}-${started}-${suffix}`;
  record['timestamp'] = new Date(time).toISOString();
  record['operation'] = { id: operationId, producer: 'compute.googleapis.com', [which]: true };
  const payload = record['protoPayload'] as Record<string, unknown>;
  payload['resourceName'] = instance;
  const [check] = payload['authorizationInfo'] as Array<Record<string, unknown>>;
  payload['authorizationInfo'] = [
    { ...check, resource: instance, permission: permission ?? check?.['permission'] },
  ];
  if (which === 'last') delete payload['response'];
  return normalizeRecord(record, `${which}-${suffix}`);
}

/** Builds the first and the last entry of one GCP operation, twenty seconds apart. */
function gcpOperation(template: ProviderRecord, shape: OperationShape): NormalizedEvent[] {
  return [
    gcpEntry(template, 'first', shape),
    gcpEntry(template, 'last', { ...shape, time: shape.time + 20_000 }),
  ];
}

/** Builds ten instance inserts a day in working hours, each a first and a last entry. */
function instanceHistory(template: ProviderRecord, days: number): NormalizedEvent[] {
  const events: NormalizedEvent[] = [];
  for (let day = 0; day < days; day++) {
    for (let i = 0; i < 10; i++) {
      const time = START + day * DAY + 9 * HOUR + i * 30 * MINUTE;
      events.push(...gcpOperation(template, { index: i, time }));
    }
  }
  return events;
}

describe('GCP operation entries', () => {
  const insert = readFixture('gcp-instance-insert-first.json');

  it('marks only the last entry', () => {
    const [first, last] = gcpOperation(insert, { index: 1, time: START });
    expect(first?.phase).toBeNull();
    expect(last?.phase).toBe('completed');
    expect(last?.action.permissions).toEqual(['compute.instances.create']);
  });

  it('counts 200 operations as 200 calls', () => {
    // 200 operations in one hour write 400 entries; the volume rule needs 300 calls.
    const burstStart = START + 4 * DAY + 3 * HOUR;
    const burst = Array.from({ length: 200 }, (_, index) =>
      gcpOperation(insert, { index, time: burstStart + index * 10_000 }),
    ).flat();
    expect(runScenario([...instanceHistory(insert, 4), ...burst])).toEqual([]);
  });

  it('flags 320 operations in one hour', () => {
    const burstStart = START + 4 * DAY + 3 * HOUR;
    const burst = Array.from({ length: 320 }, (_, index) =>
      gcpOperation(insert, { index, time: burstStart + index * 10_000 }),
    ).flat();
    const alerts = runScenario([...instanceHistory(insert, 4), ...burst]);
    expect(ruleIds(alerts)).toEqual(['volume-spike']);
    expect(alerts[0]?.details.hour_count).toBe('300');
  });

  it('flags a first permission once', () => {
    const first = gcpOperation(insert, {
      index: 900,
      time: START + 9 * DAY + 10 * HOUR,
      operation: 'compute.firewalls.create',
    });
    const alerts = runScenario([...instanceHistory(insert, 9), ...first]);
    expect(ruleIds(alerts)).toEqual(['first-use-of-permission']);
    expect(alerts[0]?.event_count).toBe(1);
    expect(alerts[0]?.evidence_event_ids).toEqual([first[0]?.event_id]);
  });
});

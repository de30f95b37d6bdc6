import type { NormalizedEvent } from '@ciem/events';
import { describe, expect, it } from 'vitest';
import { createAnomalyEngine } from './engine.js';
import type { AnomalyCheckpoint } from './engine.js';
import { normalizeRecord, readFixture } from './testing/provider-record.js';
import { runScenario } from './testing/run-scenario.js';

// CloudTrail User Guide, "CloudTrail userIdentity element": accessKeyId is the access key
// that signed the request, and for temporary credentials (such as a console session) the
// key of those credentials. A user's long-term key and its console session therefore show
// two keys, whose calls interleave.

const MINUTE = 60_000;
const LEAKED = readFixture('aws-list-buckets-access-key.json');
const CONSOLE = readFixture('aws-describe-instances-console.json');
const FIRST = Date.parse(String(LEAKED['eventTime']));

function callAt(template: Record<string, unknown>, minute: number, ip: string): NormalizedEvent {
  return normalizeRecord(
    {
      ...template,
      eventTime: new Date(FIRST + minute * MINUTE).toISOString(),
      eventID: `${String(template['eventID'])}-${minute}`,
      sourceIPAddress: ip,
    },
    `minute ${minute}`,
  );
}

describe('access key spread', () => {
  const networks = ['192.0.2.10', '198.51.100.20', '203.0.113.200', '100.64.7.9'];

  it('flags a key from four networks', () => {
    const calls = networks.map((ip, index) => callAt(LEAKED, index * 4, ip));
    const alerts = runScenario(calls).filter((a) => a.rule_id === 'access-key-many-networks');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.details.access_key_id).toBe('AKIAEXAMPLEALICE0001');
  });

  it('flags the key between console calls', () => {
    const calls = networks.flatMap((ip, index) => [
      callAt(LEAKED, index * 4, ip),
      callAt(CONSOLE, index * 4 + 1, '203.0.113.10'),
    ]);
    const alerts = runScenario(calls).filter((a) => a.rule_id === 'access-key-many-networks');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.details.access_key_id).toBe('AKIAEXAMPLEALICE0001');
    expect(alerts[0]?.details.networks).toBe('4');
  });

  it('ignores the console key on one network', () => {
    const calls = networks.flatMap((ip, index) => [
      callAt(LEAKED, index * 4, '192.0.2.10'),
      callAt(CONSOLE, index * 4 + 1, '203.0.113.10'),
    ]);
    const alerts = runScenario(calls).filter((a) => a.rule_id === 'access-key-many-networks');
    expect(alerts).toEqual([]);
  });

  it('restores a window of older checkpoints', () => {
    // Checkpoints written before keys had a window each kept one key in key,
    // keyWindowStart and keyNetworks.
    const first = createAnomalyEngine({});
    for (const [index, ip] of networks.slice(0, 2).entries()) {
      first.observe(callAt(LEAKED, index * 4, ip));
    }
    const saved = JSON.parse(JSON.stringify(first.checkpoint())) as AnomalyCheckpoint;
    const state = saved.principals[0]?.[1] as unknown as Record<string, unknown>;
    const [window] = state['keyWindows'] as { key: string; start: number; networks: number[] }[];
    delete state['keyWindows'];
    state['key'] = window?.key;
    state['keyWindowStart'] = window?.start;
    state['keyNetworks'] = window?.networks;

    const restored = createAnomalyEngine({}, saved);
    for (const [index, ip] of networks.slice(2).entries()) {
      restored.observe(callAt(LEAKED, 8 + index * 4, ip));
    }
    const alerts = restored.drain().filter((a) => a.rule_id === 'access-key-many-networks');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.details.networks).toBe('4');
    const resaved = restored.checkpoint().principals[0]?.[1] as unknown as Record<string, unknown>;
    expect(resaved['key']).toBeUndefined();
  });
});

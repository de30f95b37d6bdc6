import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Alert, NormalizedEvent } from '@ciem/events';
import { normalizeFile } from '@ciem/normalize';
import { createMemorySink, simulateEstate } from '@ciem/simulator';
import { hasSharedDatasets, sharedDatasetsDir, sharedDatasetsSkipReason } from '@ciem/testing';
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAnomalyEngine } from './engine.js';

interface PlantedAttack {
  kind: string;
  provider: string;
  principal: string;
  start: string;
  end: string;
}

interface GroundTruth {
  principals: { id: string; profile: string }[];
  attacks: PlantedAttack[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

async function* chunksOf(text: string): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += 64 * 1024) yield text.slice(i, i + 64 * 1024);
}

function detect(events: NormalizedEvent[]): Alert[] {
  events.sort((a, b) => a.event_time - b.event_time);
  const engine = createAnomalyEngine({});
  const alerts = new Map<string, Alert>();
  for (const event of events) {
    engine.observe(event);
    for (const alert of engine.drain()) alerts.set(alert.alert_id, alert);
  }
  return [...alerts.values()];
}

function countByRule(alerts: readonly Alert[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const alert of alerts) counts[alert.rule_id] = (counts[alert.rule_id] ?? 0) + 1;
  return counts;
}

function principalDays(events: readonly NormalizedEvent[]): number {
  return new Set(events.map((e) => `${e.principal.id} ${Math.floor(e.event_time / DAY)}`)).size;
}

describe('alert rate on a simulated estate', () => {
  it('detects planted attacks, few others', async () => {
    const sink = createMemorySink();
    await simulateEstate(
      {
        seed: 'anomaly-rate',
        start: Date.UTC(2026, 0, 5),
        principals: 90,
        days: 21,
        eventsPerDay: 40,
      },
      sink,
    );
    const events: NormalizedEvent[] = [];
    for (const [file, text] of sink.files) {
      if (!/^(aws\/cloudtrail|azure\/activity|gcp\/audit)\//.test(file)) continue;
      for await (const result of normalizeFile(chunksOf(text), {
        name: file,
        ingestTime: Date.UTC(2026, 1, 1),
      })) {
        if (!('kind' in result)) events.push(result);
      }
    }
    const truth = JSON.parse(sink.files.get('ground-truth.json') ?? '{}') as GroundTruth;
    const alerts = detect(events);

    const attackPrincipals = new Set(truth.attacks.map((a) => a.principal));
    const dormant = new Set(
      truth.principals.filter((p) => p.profile === 'dormant').map((p) => p.id),
    );
    const benign = alerts.filter((a) => !attackPrincipals.has(a.principal_id));
    const benignEvents = events.filter((e) => !attackPrincipals.has(e.principal.id));
    const perThousand = (benign.length / benignEvents.length) * 1000;
    const perPrincipalDay = benign.length / principalDays(benignEvents);
    console.log(
      `simulated estate: ${events.length} events, ${alerts.length} alerts; benign principals: ` +
        `${benign.length} alerts over ${benignEvents.length} events = ${perThousand.toFixed(3)} per 1,000 events, ` +
        `${perPrincipalDay.toFixed(4)} per principal-day; by rule ${JSON.stringify(countByRule(benign))}; ` +
        `dormant wake-ups among them: ${benign.filter((a) => dormant.has(a.principal_id)).length}`,
    );

    // An attack counts as detected when an alert on its principal overlaps its window by an
    // hour either side. Every planted attack of every provider must be detected.
    const detectedKinds = new Set<string>();
    const missed: string[] = [];
    const results: string[] = [];
    for (const attack of truth.attacks) {
      const start = Date.parse(attack.start) - HOUR;
      const end = Date.parse(attack.end) + HOUR;
      const hits = alerts.filter(
        (a) => a.principal_id === attack.principal && a.last_seen >= start && a.first_seen <= end,
      );
      if (hits.length > 0) detectedKinds.add(attack.kind);
      else missed.push(`${attack.provider} ${attack.kind}`);
      results.push(
        `${attack.provider} ${attack.kind}: ${hits.map((a) => a.rule_id).join(',') || 'MISSED'}`,
      );
    }
    console.log(`planted attacks: ${results.join('; ')}`);
    expect([...detectedKinds].sort()).toEqual(
      [...new Set(truth.attacks.map((a) => a.kind))].sort(),
    );
    expect(missed).toEqual([]);
    expect(truth.attacks.length).toBeGreaterThan(0);
    // 3.3 per 1,000 before routine hours per permission, per-principal aggregation of
    // sensitive changes and routine no-MFA sign-ins; 1.3 after.
    expect(perThousand).toBeLessThan(2);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

describe.skipIf(!hasSharedDatasets)(
  `alert rate on shared samples (${hasSharedDatasets ? 'present' : sharedDatasetsSkipReason})`,
  () => {
    it('prints the alert rate', async () => {
      const events: NormalizedEvent[] = [];
      for (const area of ['aws/cloudtrail', 'azure/activity', 'gcp/audit']) {
        for (const file of listFiles(path.join(sharedDatasetsDir, area))) {
          if (!/\.(json|ndjson|jsonl|log)$/.test(file) || file.includes('provenance')) continue;
          for await (const result of normalizeFile(createReadStream(file), {
            name: file,
            ingestTime: 0,
          })) {
            if (!('kind' in result)) events.push(result);
          }
        }
      }
      const alerts = detect(events);
      console.log(
        `shared samples: ${events.length} events, ${alerts.length} alerts = ` +
          `${((alerts.length / Math.max(events.length, 1)) * 1000).toFixed(2)} per 1,000 events, ` +
          `${(alerts.length / Math.max(principalDays(events), 1)).toFixed(3)} per principal-day; by rule ${JSON.stringify(countByRule(alerts))}`,
      );
      expect(events.length).toBeGreaterThan(0);
    });
  },
);

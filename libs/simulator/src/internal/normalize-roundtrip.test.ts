import type { NormalizedEvent } from '@ciem/events';
import { normalizeFile } from '@ciem/normalize';
import { describe, expect, it } from 'vitest';
import { createMemorySink } from './memory-sink.js';
import { simulateEstate } from './simulate.js';

interface PlantedAttack {
  kind: string;
  provider: 'aws' | 'azure' | 'gcp';
  principal: string;
  events: Array<{ eventId: string; time: string }>;
}

async function* chunksOf(text: string): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += 64 * 1024) yield text.slice(i, i + 64 * 1024);
}

describe('simulated logs through the normalizer', () => {
  it('finds every planted sequence without errors', async () => {
    const sink = createMemorySink();
    await simulateEstate(
      {
        seed: 'round-trip',
        start: Date.UTC(2026, 4, 4),
        principals: 30,
        days: 4,
        eventsPerDay: 15,
      },
      sink,
    );
    const events: NormalizedEvent[] = [];
    const errors: string[] = [];
    let records = 0;
    for (const [path, text] of sink.files) {
      if (!/^(aws\/cloudtrail|azure\/activity|gcp\/audit)\//.test(path)) continue;
      for await (const result of normalizeFile(chunksOf(text), {
        name: path,
        ingestTime: Date.UTC(2026, 4, 9),
      })) {
        records++;
        if ('kind' in result) errors.push(`${result.raw_ref}: ${result.message}`);
        else events.push(result);
      }
    }
    expect(errors).toEqual([]);
    expect(records).toBeGreaterThan(1000);

    const truth = JSON.parse(sink.files.get('ground-truth.json') ?? '{}') as {
      attacks: PlantedAttack[];
    };
    const byId = new Map(events.map((e) => [e.event_id, e]));
    const byCorrelation = new Map<string, NormalizedEvent[]>();
    for (const event of events) {
      if (event.correlation_id)
        byCorrelation.set(event.correlation_id, [
          ...(byCorrelation.get(event.correlation_id) ?? []),
          event,
        ]);
    }
    for (const attack of truth.attacks) {
      for (const planted of attack.events) {
        let event: NormalizedEvent | undefined;
        if (attack.provider === 'azure') {
          // Azure exports carry no event id: the planted id is `<correlationId>:<resultType>`.
          const [correlationId] = planted.eventId.split(':');
          event = byCorrelation
            .get(correlationId ?? '')
            ?.find((e) => e.event_time === Date.parse(planted.time));
        } else {
          event = byId.get(planted.eventId);
        }
        expect(event, `${attack.kind} ${planted.eventId}`).toBeDefined();
        expect(event?.principal.id, `${attack.kind} ${planted.eventId}`).toBe(attack.principal);
      }
    }
  });
});

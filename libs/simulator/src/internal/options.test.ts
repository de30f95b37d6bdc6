import { InputError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';

const START = Date.UTC(2026, 0, 1);

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const options = resolveOptions({ seed: 1, start: START });
    expect(options.principals).toBe(60);
    expect(options.days).toBe(14);
    expect(options.eventsPerDay).toBe(40);
    expect(options.providers).toEqual(['aws', 'azure', 'gcp']);
  });

  it('rounds start down to midnight UTC', () => {
    expect(resolveOptions({ seed: 1, start: START + 5 * 3_600_000 }).start).toBe(START);
  });

  it.each([
    ['seed', { seed: '' }],
    ['principals', { principals: 0 }],
    ['days', { days: 1.5 }],
    ['eventsPerDay', { eventsPerDay: -1 }],
    ['start', { start: Number.NaN }],
    ['providers', { providers: ['aws', 'oracle'] }],
  ])('rejects an invalid %s', (name, patch) => {
    const call = () => resolveOptions({ seed: 1, start: START, ...(patch as object) });
    expect(call).toThrow(InputError);
    expect(call).toThrow(new RegExp(`"${name}"`));
  });
});

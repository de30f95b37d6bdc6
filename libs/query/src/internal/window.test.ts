import { InputError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { resolveWindow } from './window.js';

const DAY_MS = 86_400_000;
const limits = { defaultMs: 7 * DAY_MS, maxMs: 30 * DAY_MS };
const now = Date.UTC(2026, 10, 20, 12);

describe('resolveWindow', () => {
  it('defaults to the window before now', () => {
    expect(resolveWindow({}, now, limits)).toEqual({ fromMs: now - 7 * DAY_MS, toMs: now });
  });

  it('defaults from relative to to', () => {
    const to = now - 10 * DAY_MS;
    expect(resolveWindow({ toMs: to }, now, limits)).toEqual({ fromMs: to - 7 * DAY_MS, toMs: to });
  });

  it('accepts the maximum span', () => {
    expect(resolveWindow({ fromMs: now - 30 * DAY_MS }, now, limits).fromMs).toBe(
      now - 30 * DAY_MS,
    );
  });

  it('rejects a span over the maximum', () => {
    const call = () => resolveWindow({ fromMs: now - 30 * DAY_MS - 1 }, now, limits);
    expect(call).toThrow(InputError);
    expect(call).toThrow(/^from: expected a window of at most 30 days before to/);
  });

  it('rejects from after to', () => {
    const call = () => resolveWindow({ fromMs: now, toMs: now - 1 }, now, limits);
    expect(call).toThrow(/from: expected a time before to \(2026-11-20T11:59:59.999Z\)/);
  });
});

import { describe, expect, it } from 'vitest';
import { describeWindow } from './describe-window.js';

const DAY_MS = 86_400_000;
const end = Date.UTC(2024, 0, 15);
const window = { start: end - 90 * DAY_MS, end, days: 90 };

describe('describeWindow', () => {
  it('states short logs and lowered confidence', () => {
    const text = describeWindow({
      ...window,
      first_event: Date.UTC(2024, 0, 1, 0, 3),
      last_event: Date.UTC(2024, 0, 14, 23, 58),
      days_observed: 14,
    });
    expect(text).toBe(
      'Window: 90 days, 2023-10-17 00:00 UTC to 2024-01-15 00:00 UTC. Logs of these accounts: first event 2024-01-01 00:03 UTC, last event 2024-01-14 23:58 UTC, covering 14 of the 90 days, so confidence is lowered in proportion.',
    );
  });

  it('states full coverage', () => {
    const text = describeWindow({
      ...window,
      first_event: window.start - DAY_MS,
      last_event: end - 1,
      days_observed: 90,
    });
    expect(text).toContain('covering the whole window.');
  });

  it('states logs before the window', () => {
    const text = describeWindow({
      ...window,
      first_event: Date.UTC(2018, 10, 25),
      last_event: Date.UTC(2023, 0, 1),
      days_observed: 0,
    });
    expect(text).toContain(
      'first event 2018-11-25 00:00 UTC, last event 2023-01-01 00:00 UTC, none of it in the window, so confidence is 0.',
    );
  });

  it('states logs without events', () => {
    const text = describeWindow({
      ...window,
      first_event: null,
      last_event: null,
      days_observed: 0,
    });
    expect(text).toContain('The logs hold no event of these accounts, so confidence is 0.');
  });
});

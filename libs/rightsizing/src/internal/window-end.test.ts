import { describe, expect, it } from 'vitest';
import { parseWindowEnd } from './window-end.js';

describe('parseWindowEnd', () => {
  it('ends a day at midnight after it', () => {
    expect(parseWindowEnd('2024-06-30')).toBe(Date.UTC(2024, 6, 1));
  });

  it('reads a time with its zone', () => {
    expect(parseWindowEnd('2024-06-30T12:00:00Z')).toBe(Date.UTC(2024, 5, 30, 12));
    expect(parseWindowEnd('2024-06-30T14:00:00+02:00')).toBe(Date.UTC(2024, 5, 30, 12));
  });

  it('rejects days that do not exist', () => {
    expect(parseWindowEnd('2024-02-30')).toBeUndefined();
  });

  it('rejects times without a zone', () => {
    expect(parseWindowEnd('2024-06-30T12:00:00')).toBeUndefined();
    expect(parseWindowEnd('yesterday')).toBeUndefined();
  });
});

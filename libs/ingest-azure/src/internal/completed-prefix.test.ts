import { describe, expect, it } from 'vitest';
import { lastOfCompletedPrefix } from './completed-prefix.js';

describe('lastOfCompletedPrefix', () => {
  it.each([
    [[], -1],
    [[false], -1],
    [[true], 0],
    [[true, true, true], 2],
    [[true, false, true], 0],
    [[false, true, true], -1],
    [[true, true, false, true], 1],
  ])('returns last of prefix for %j', (completed, expected) => {
    expect(lastOfCompletedPrefix(completed)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { isRetriableStatus, parseRetryAfter } from './http.js';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 2, 3, 0, 0);

  it('reads delay seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
  });

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Fri, 02 Jan 2026 03:00:30 GMT', now)).toBe(30_000);
  });

  it('ignores absent or invalid values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('isRetriableStatus', () => {
  it('retries busy and server errors', () => {
    for (const status of [408, 429, 500, 502, 503, 504])
      expect(isRetriableStatus(status)).toBe(true);
  });

  it('never retries client errors', () => {
    for (const status of [400, 401, 403, 404, 413, 422])
      expect(isRetriableStatus(status)).toBe(false);
  });
});

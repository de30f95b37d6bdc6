import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { normaliseHeaders } from './consumer.js';

describe('normaliseHeaders', () => {
  it('turns every value into a Buffer', () => {
    const headers = normaliseHeaders({
      source: Buffer.from('file:/a'),
      ingest_time: '42',
      repeated: [Buffer.from('one'), 'two'],
      missing: undefined,
    });
    expect(headers).toEqual({
      source: Buffer.from('file:/a'),
      ingest_time: Buffer.from('42'),
      repeated: [Buffer.from('one'), Buffer.from('two')],
    });
  });

  it('returns no headers for none', () => {
    expect(normaliseHeaders(undefined)).toEqual({});
    expect(normaliseHeaders({})).toEqual({});
  });
});

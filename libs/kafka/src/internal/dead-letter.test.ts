import { Buffer } from 'node:buffer';
import { InputError, RejectedError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_MESSAGE_MAX_CHARS,
  buildDeadLetterHeaders,
} from './dead-letter.js';

const original = {
  topic: 'ciem.raw.aws.cloudtrail',
  partition: 2,
  offset: '9007199254740993',
  key: Buffer.from('123456789012'),
  value: Buffer.from('{"eventVersion":"1.08"'),
  headers: { source: Buffer.from('s3'), traceparent: '00-abc-def-01' },
};

describe('buildDeadLetterHeaders', () => {
  it('carries error and original position', () => {
    const error = new InputError('CIEM_NORMALIZE_BAD_JSON', 'record is not valid JSON');
    const headers = buildDeadLetterHeaders({ original, error, stage: 'normalizer' });
    expect(headers['error.code']).toBe('CIEM_NORMALIZE_BAD_JSON');
    expect(headers['error.type']).toBe('input');
    expect(headers['error.message']).toBe('record is not valid JSON');
    expect(headers.stage).toBe('normalizer');
    expect(headers['original.topic']).toBe('ciem.raw.aws.cloudtrail');
    expect(headers['original.partition']).toBe('2');
    expect(headers['original.offset']).toBe('9007199254740993');
  });

  it('keeps the original headers', () => {
    const headers = buildDeadLetterHeaders({
      original,
      error: new Error('x'),
      stage: 'normalizer',
    });
    expect(headers.source).toEqual(Buffer.from('s3'));
    expect(headers.traceparent).toBe('00-abc-def-01');
  });

  it('codes unexpected errors as internal', () => {
    const headers = buildDeadLetterHeaders({
      original,
      error: new TypeError("Cannot read properties of undefined (reading 'arn')"),
      stage: 'normalizer',
    });
    expect(headers['error.code']).toBe('CIEM_INTERNAL');
    expect(headers['error.type']).toBe('internal');
  });

  it('truncates long error messages', () => {
    const error = new RejectedError('CIEM_TEST_LONG', 'x'.repeat(5_000));
    const message = buildDeadLetterHeaders({ original, error, stage: 'sink' })['error.message'];
    expect(typeof message).toBe('string');
    expect((message as string).length).toBe(DEAD_LETTER_MESSAGE_MAX_CHARS);
    expect((message as string).endsWith('…')).toBe(true);
  });

  it('replaces headers of an earlier dead-lettering', () => {
    const again = {
      ...original,
      headers: { [DEAD_LETTER_HEADERS.stage]: 'old-stage', 'error.code': 'OLD' },
    };
    const headers = buildDeadLetterHeaders({
      original: again,
      error: new Error('x'),
      stage: 'normalizer',
    });
    expect(headers.stage).toBe('normalizer');
    expect(headers['error.code']).toBe('CIEM_INTERNAL');
  });

  it('accepts thrown non-error values', () => {
    const headers = buildDeadLetterHeaders({
      original,
      error: 'plain string thrown',
      stage: 'normalizer',
    });
    expect(headers['error.message']).toBe('plain string thrown');
    expect(headers['error.type']).toBe('internal');
  });
});

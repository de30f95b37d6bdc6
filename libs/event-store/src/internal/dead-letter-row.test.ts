import { Buffer } from 'node:buffer';
import { InputError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_COLUMNS, toDeadLetterRow } from './dead-letter-row.js';

const original = {
  topic: 'ciem.raw.gcp.audit',
  partition: 3,
  offset: '9007199254740993',
  key: 'my-project',
  value: '{"insertId": 1',
};

describe('toDeadLetterRow', () => {
  it('describes a rejected record', () => {
    const row = toDeadLetterRow({
      stage: 'normalizer',
      error: new InputError('CIEM_NORMALIZE_INVALID_JSON', 'Record is not valid JSON'),
      original,
      // 2025-03-04T05:06:07.999Z
      deadLetteredAt: 1_741_064_767_999,
      provider: 'gcp',
      reason: 'invalid-json',
      field: null,
      sourceRef: 'audit.ndjson:12',
    });
    expect(row).toEqual({
      dedupe_key: 'ciem.raw.gcp.audit/3/9007199254740993',
      dead_lettered_at: 1_741_064_767,
      stage: 'normalizer',
      error_code: 'CIEM_NORMALIZE_INVALID_JSON',
      error_type: 'input',
      error_message: 'Record is not valid JSON',
      provider: 'gcp',
      reason: 'invalid-json',
      field: '',
      source_ref: 'audit.ndjson:12',
      original_topic: 'ciem.raw.gcp.audit',
      original_partition: 3,
      original_offset: '9007199254740993',
      original_key: 'my-project',
      payload: '{"insertId": 1',
      payload_encoding: 'utf8',
      payload_bytes: 14,
      payload_truncated: 0,
    });
  });

  it('lists a column for every row field', () => {
    const row = toDeadLetterRow({ stage: 's', error: new Error('x'), original, deadLetteredAt: 0 });
    expect([...DEAD_LETTER_COLUMNS].sort()).toEqual(Object.keys(row).sort());
  });

  it('marks a thrown bug as internal', () => {
    const row = toDeadLetterRow({
      stage: 'normalizer',
      error: new TypeError('cannot read properties of undefined'),
      original,
      deadLetteredAt: 0,
    });
    expect(row.error_type).toBe('internal');
    expect(row.error_code).toBe('CIEM_INTERNAL');
    expect(row.reason).toBe('');
    expect(row.provider).toBe('');
  });

  it('writes invalid UTF-8 as base64', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x41]);
    const row = toDeadLetterRow({
      stage: 'normalizer',
      error: new Error('x'),
      original: { ...original, value: bytes },
      deadLetteredAt: 0,
    });
    expect(row.payload_encoding).toBe('base64');
    expect(Buffer.from(row.payload, 'base64')).toEqual(bytes);
    expect(row.payload_bytes).toBe(3);
  });

  it('keeps the head of a large payload', () => {
    const row = toDeadLetterRow({
      stage: 'normalizer',
      error: new Error('x'),
      original: { ...original, value: 'a'.repeat(100) },
      deadLetteredAt: 0,
      maxPayloadBytes: 10,
    });
    expect(row.payload).toBe('a'.repeat(10));
    expect(row.payload_bytes).toBe(100);
    expect(row.payload_truncated).toBe(1);
  });

  it('cuts before a split character', () => {
    // "é" is two bytes in UTF-8; a 4-byte head would end inside the second "é".
    const row = toDeadLetterRow({
      stage: 'normalizer',
      error: new Error('x'),
      original: { ...original, value: 'aéé' },
      deadLetteredAt: 0,
      maxPayloadBytes: 4,
    });
    expect(row.payload).toBe('aé');
    expect(row.payload_encoding).toBe('utf8');
    expect(row.payload_truncated).toBe(1);
  });

  it('writes a null value as empty', () => {
    const row = toDeadLetterRow({
      stage: 'normalizer',
      error: new Error('x'),
      original: { ...original, key: null, value: null },
      deadLetteredAt: 0,
    });
    expect(row.payload).toBe('');
    expect(row.payload_bytes).toBe(0);
    expect(row.original_key).toBe('');
  });

  it('shortens a long error message', () => {
    const row = toDeadLetterRow({
      stage: 'normalizer',
      error: new Error('m'.repeat(5000)),
      original,
      deadLetteredAt: 0,
    });
    expect(row.error_message).toHaveLength(4000);
    expect(row.error_message.endsWith('…')).toBe(true);
  });
});

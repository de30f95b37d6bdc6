import { describe, expect, it } from 'vitest';
import {
  CiemError,
  ConfigError,
  DependencyError,
  InputError,
  RejectedError,
  describeValue,
  errorCodeOf,
  errorTypeOf,
  isRetriable,
  maskSecret,
} from './index.js';

describe('CiemError', () => {
  it('keeps code, cause and details', () => {
    const cause = new Error('socket closed');
    const error = new InputError('CIEM_TEST_BAD', 'bad record', { cause, details: { offset: 4 } });
    expect(error.code).toBe('CIEM_TEST_BAD');
    expect(error.cause).toBe(cause);
    expect(error.details.offset).toBe(4);
    expect(error.name).toBe('InputError');
    expect(error).toBeInstanceOf(CiemError);
  });

  it('maps subclasses to error types', () => {
    expect(errorTypeOf(new ConfigError('C', 'm'))).toBe('config');
    expect(errorTypeOf(new InputError('C', 'm'))).toBe('input');
    expect(errorTypeOf(new DependencyError('C', 'm'))).toBe('dependency');
    expect(errorTypeOf(new RejectedError('C', 'm'))).toBe('rejected');
    expect(errorTypeOf(new TypeError('x is undefined'))).toBe('internal');
  });

  it('retries only dependency errors', () => {
    expect(isRetriable(new DependencyError('C', 'm', { retryAfterMs: 500 }))).toBe(true);
    expect(isRetriable(new InputError('C', 'm'))).toBe(false);
    expect(isRetriable(new TypeError('bug'))).toBe(false);
  });

  it('codes unexpected errors as internal', () => {
    expect(errorCodeOf(new RangeError('x'))).toBe('CIEM_INTERNAL');
    expect(errorCodeOf(new RejectedError('CIEM_X_Y', 'm'))).toBe('CIEM_X_Y');
  });
});

describe('describeValue', () => {
  it('truncates long values with their length', () => {
    const text = describeValue('a'.repeat(500), 10);
    expect(text.startsWith('"aaaaaaaaa')).toBe(true);
    expect(text).toContain('502 characters');
  });

  it('masks secrets to their length', () => {
    expect(maskSecret('hunter2')).toBe('<secret, 7 characters>');
  });
});

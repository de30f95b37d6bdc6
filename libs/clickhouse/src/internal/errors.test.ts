import { parseError } from '@clickhouse/client';
import { DependencyError, RejectedError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { parseServerError, toClickHouseError } from './errors.js';

// Error texts as ClickHouse 18.16.1 and 24.x print them.
const OLD_UNKNOWN_TABLE =
  "Code: 60, e.displayText() = DB::Exception: Table default.nope doesn't exist., e.what() = DB::Exception\n";
const MODERN_UNKNOWN_TABLE =
  'Code: 60. DB::Exception: Table default.nope does not exist. (UNKNOWN_TABLE) (version 24.8.4.13 (official build))\n';
const OLD_TIMEOUT =
  'Code: 159, e.displayText() = DB::Exception: Timeout exceeded: elapsed 1.000 seconds, maximum: 1, e.what() = DB::Exception';

describe('parseServerError', () => {
  it('parses the 18.16 error text', () => {
    expect(parseServerError(OLD_UNKNOWN_TABLE)).toEqual({
      code: 60,
      message: "Table default.nope doesn't exist.",
    });
  });

  it('parses the modern error text', () => {
    expect(parseServerError(MODERN_UNKNOWN_TABLE)).toEqual({
      code: 60,
      message: 'Table default.nope does not exist',
    });
  });

  it('returns undefined for other text', () => {
    expect(parseServerError('<html>502 Bad Gateway</html>')).toBeUndefined();
  });
});

describe('toClickHouseError', () => {
  it('rejects an unknown table', () => {
    const error = toClickHouseError(new Error(OLD_UNKNOWN_TABLE), 'query');
    expect(error).toBeInstanceOf(RejectedError);
    expect((error as RejectedError).code).toBe('CIEM_CLICKHOUSE_REJECTED');
    expect((error as RejectedError).details.clickhouse_code).toBe(60);
  });

  it('rejects a modern syntax error', () => {
    const text =
      'Code: 62. DB::Exception: Syntax error: failed at position 1. (SYNTAX_ERROR) (version 24.3.1)';
    const error = toClickHouseError(new Error(text), 'command');
    expect(error).toBeInstanceOf(RejectedError);
    expect((error as RejectedError).details.clickhouse_code).toBe(62);
  });

  // @clickhouse/client turns a modern error text into a ClickHouseError whose message no
  // longer contains `Code: N`. ClickHouse 25.8 sent these two texts.
  it('rejects the client error of a modern syntax error', () => {
    const clientError = parseError(
      'Code: 62. DB::Exception: Syntax error: failed at position 1 (SELEC): SELEC 1. Expected one of: Query. (SYNTAX_ERROR) (version 25.8.2.1)\n',
    );
    const error = toClickHouseError(clientError, 'query');
    expect(error).toBeInstanceOf(RejectedError);
    expect((error as RejectedError).details.clickhouse_code).toBe(62);
    expect(error.message).toContain('Syntax error: failed at position 1');
  });

  it('retries the client error of a modern timeout', () => {
    const clientError = parseError(
      'Code: 159. DB::Exception: Timeout exceeded: elapsed 1007.2 ms, maximum: 500 ms. (TIMEOUT_EXCEEDED) (version 25.8.2.1)\n',
    );
    const error = toClickHouseError(clientError, 'query');
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).details.clickhouse_code).toBe(159);
  });

  it('retries a server timeout', () => {
    const error = toClickHouseError(new Error(OLD_TIMEOUT), 'query');
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).details.clickhouse_code).toBe(159);
  });

  it('retries a refused connection', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const error = toClickHouseError(cause, 'insert into t');
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).code).toBe('CIEM_CLICKHOUSE_UNAVAILABLE');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('retries a client timeout', () => {
    const error = toClickHouseError(new Error('Timeout error.'), 'query');
    expect(error).toBeInstanceOf(DependencyError);
  });

  it('retries a proxy error page', () => {
    const error = toClickHouseError(new Error('<html>502 Bad Gateway</html>'), 'query');
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).code).toBe('CIEM_CLICKHOUSE_BAD_RESPONSE');
  });

  it('passes bugs through unchanged', () => {
    const bug = new TypeError('x is undefined');
    expect(toClickHouseError(bug, 'query')).toBe(bug);
  });
});

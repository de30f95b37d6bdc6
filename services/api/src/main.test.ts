import { startChildService } from '@ciem/testing';
import { describe, expect, it } from 'vitest';

const main = new URL('./main.ts', import.meta.url).pathname;

/** Starts the API with `env` and returns its exit code and its fatal log line. */
async function startWith(env: Record<string, string>) {
  // Nothing connects before the configuration is valid, so no server is needed.
  const child = startChildService(main, {
    CIEM_KAFKA_BROKERS: '127.0.0.1:9',
    CIEM_CLICKHOUSE_URL: 'http://127.0.0.1:9',
    ...env,
  });
  const exitCode = await child.exited;
  return { exitCode, fatal: child.lines.find((line) => line.level === 'fatal') };
}

describe('api main', () => {
  it('rejects bad API keys at config load', async () => {
    const { exitCode, fatal } = await startWith({ CIEM_API_KEYS: 'ops:read:not-a-hash' });
    expect(exitCode).toBe(2);
    expect(String(fatal?.msg)).toContain('CIEM_API_KEYS: expected');
    expect(fatal?.err).toBeUndefined();
  });

  it('rejects malformed lag groups at config load', async () => {
    const { exitCode, fatal } = await startWith({
      CIEM_API_KEYS: `ops:read:${'a'.repeat(64)}`,
      CIEM_API_LAG_GROUPS: 'no-topic',
    });
    expect(exitCode).toBe(2);
    expect(String(fatal?.msg)).toContain('CIEM_API_LAG_GROUPS');
    expect(fatal?.err).toBeUndefined();
  });
});

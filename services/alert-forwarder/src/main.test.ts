import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChildService } from '@ciem/testing';
import { afterAll, describe, expect, it } from 'vitest';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'ciem-forwarder-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeDestinations(destinations: unknown[]): string {
  const file = path.join(dir, `destinations-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ destinations }));
  return file;
}

describe('alert-forwarder start-up', () => {
  it('exits 2 for an unset secret', async () => {
    const file = writeDestinations([
      { name: 'splunk', type: 'hec', url: 'http://127.0.0.1:9', token: { env: 'UNSET_TOKEN' } },
    ]);
    const service = startChildService(main, { CIEM_FORWARDER_DESTINATIONS_FILE: file });
    expect(await service.exited).toBe(2);
    const fatal = service.lines.find((line) => line.level === 'fatal');
    expect(fatal?.code).toBe('CIEM_SIEM_SECRET_UNAVAILABLE');
    expect(JSON.stringify(fatal)).toContain('UNSET_TOKEN');
  });

  it('exits 2 for an invalid field', async () => {
    const file = writeDestinations([
      {
        name: 'splunk',
        type: 'hec',
        url: 'ftp://127.0.0.1',
        token: { env: 'SET_TOKEN' },
      },
    ]);
    const service = startChildService(main, {
      CIEM_FORWARDER_DESTINATIONS_FILE: file,
      SET_TOKEN: 'very-secret-token',
    });
    expect(await service.exited).toBe(2);
    const output = JSON.stringify(service.lines);
    expect(output).toContain('destinations[0].url');
    expect(output).not.toContain('very-secret-token');
  });

  it('exits 2 for a missing file', async () => {
    const service = startChildService(main, {
      CIEM_FORWARDER_DESTINATIONS_FILE: path.join(dir, 'does-not-exist.json'),
    });
    expect(await service.exited).toBe(2);
    const fatal = service.lines.find((line) => line.level === 'fatal');
    expect(fatal?.code).toBe('CIEM_SIEM_INVALID_DESTINATIONS');
  });

  it('exits 2 without a destinations file', async () => {
    const service = startChildService(main, {});
    expect(await service.exited).toBe(2);
    expect(JSON.stringify(service.lines)).toContain('CIEM_FORWARDER_DESTINATIONS_FILE');
  });
});

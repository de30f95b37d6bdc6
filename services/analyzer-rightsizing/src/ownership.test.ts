import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@ciem/config';
import { afterAll, describe, expect, it } from 'vitest';
import { rightsizingSchema } from './config.js';
import { checkDelivery, loadOwnership } from './ownership.js';

const folder = mkdtempSync(path.join(tmpdir(), 'ciem-rightsizing-ownership-'));

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

function configOf(env: Record<string, string>) {
  return loadConfig(rightsizingSchema, { env }).values;
}

describe('loadOwnership', () => {
  it('merges file and variable', () => {
    const file = path.join(folder, 'ownership.json');
    writeFileSync(
      file,
      JSON.stringify({
        accountTeams: { '111122223333': 'web', '444455556666': 'data' },
        tagKeys: ['squad'],
      }),
    );
    const result = loadOwnership(
      configOf({
        CIEM_RIGHTSIZING_OWNERSHIP_FILE: file,
        CIEM_RIGHTSIZING_ACCOUNT_TEAMS: '111122223333=payments, shop-prod = retail',
      }),
    );
    expect(result.problems).toEqual([]);
    expect(result.ownership).toEqual({
      accountTeams: { '111122223333': 'payments', '444455556666': 'data', 'shop-prod': 'retail' },
      tagKeys: ['squad'],
    });
  });

  it('defaults the tag keys', () => {
    expect(loadOwnership(configOf({})).ownership).toEqual({
      accountTeams: {},
      tagKeys: ['team', 'owner'],
    });
  });

  it('reports malformed pairs', () => {
    const result = loadOwnership(configOf({ CIEM_RIGHTSIZING_ACCOUNT_TEAMS: 'payments' }));
    expect(result.problems).toEqual([
      'CIEM_RIGHTSIZING_ACCOUNT_TEAMS: expected `account=team` pairs, received "payments"',
    ]);
  });

  it('reports an unreadable file', () => {
    const file = path.join(folder, 'broken.json');
    writeFileSync(file, '{"accountTeams": ["x"]}');
    const missing = loadOwnership(
      configOf({ CIEM_RIGHTSIZING_OWNERSHIP_FILE: path.join(folder, 'none.json') }),
    );
    expect(missing.problems[0]).toMatch(
      /^CIEM_RIGHTSIZING_OWNERSHIP_FILE: expected a readable JSON file/,
    );
    const broken = loadOwnership(configOf({ CIEM_RIGHTSIZING_OWNERSHIP_FILE: file }));
    expect(broken.problems[0]).toMatch(/"accountTeams" to map account ids to team names/);
  });
});

describe('checkDelivery', () => {
  it('requires the webhook secret', () => {
    expect(
      checkDelivery(configOf({ CIEM_RIGHTSIZING_WEBHOOK_URL: 'http://127.0.0.1:9/hook' })),
    ).toEqual([
      'CIEM_RIGHTSIZING_WEBHOOK_SECRET: expected a secret (or CIEM_RIGHTSIZING_WEBHOOK_SECRET_FILE) because CIEM_RIGHTSIZING_WEBHOOK_URL is set, received nothing',
    ]);
  });

  it('requires sender and recipients', () => {
    const problems = checkDelivery(configOf({ CIEM_RIGHTSIZING_SMTP_HOST: '127.0.0.1' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^CIEM_RIGHTSIZING_SMTP_FROM:/);
    expect(problems[1]).toMatch(/^CIEM_RIGHTSIZING_SMTP_TO:/);
  });

  it('accepts a complete configuration', () => {
    expect(
      checkDelivery(
        configOf({
          CIEM_RIGHTSIZING_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
          CIEM_RIGHTSIZING_WEBHOOK_SECRET: 'secret',
          CIEM_RIGHTSIZING_SMTP_HOST: '127.0.0.1',
          CIEM_RIGHTSIZING_SMTP_FROM: 'ciem@example.com',
          CIEM_RIGHTSIZING_SMTP_TO: 'a@example.com,b@example.com',
        }),
      ),
    ).toEqual([]);
  });
});

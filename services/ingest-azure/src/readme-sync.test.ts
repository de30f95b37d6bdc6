import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigTable } from '@ciem/config';
import { IngestErrorCodes } from '@ciem/ingest';
import { IngestAzureErrorCodes } from '@ciem/ingest-azure';
import { describe, expect, it } from 'vitest';
import { ingestAzureSchema } from './config.js';

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md'),
  'utf8',
);

describe('ingest-azure README', () => {
  it('contains the generated settings table', () => {
    expect(readme).toContain(renderConfigTable(ingestAzureSchema));
  });

  it('lists every azure ingest error code', () => {
    for (const code of Object.values(IngestAzureErrorCodes)) {
      expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
    }
  });

  it('names the shared ingest codes', () => {
    for (const code of Object.values(IngestErrorCodes)) expect(readme).toContain(code);
  });
});

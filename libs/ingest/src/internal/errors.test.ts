import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IngestErrorCodes } from './errors.js';

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'),
  'utf8',
);

describe('ingest error codes', () => {
  it('are all documented in the README', () => {
    for (const code of Object.values(IngestErrorCodes)) {
      expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
    }
  });

  it('follow the CIEM_INGEST_ pattern', () => {
    for (const code of Object.values(IngestErrorCodes)) {
      expect(code).toMatch(/^CIEM_INGEST_[A-Z_]+$/);
    }
  });
});

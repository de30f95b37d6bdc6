import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IngestGcpErrorCodes } from './errors.js';

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'),
  'utf8',
);

describe('ingest-gcp error codes', () => {
  it('documents every code in README', () => {
    for (const code of Object.values(IngestGcpErrorCodes)) {
      expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
    }
  });

  it('documents no unknown code', () => {
    const documented = [...readme.matchAll(/`(CIEM_INGEST_GCP_[A-Z_]+)`/g)].map(
      (match) => match[1],
    );
    expect(new Set(documented)).toEqual(new Set(Object.values(IngestGcpErrorCodes)));
  });
});

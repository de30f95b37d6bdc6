import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigTable } from '@ciem/config';
import { describe, expect, it } from 'vitest';
import { apiSchema } from './config.js';
import { ApiErrorCodes } from './errors.js';

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md'),
  'utf8',
);

describe('api README', () => {
  it('contains the generated settings table', () => {
    expect(readme).toContain(renderConfigTable(apiSchema));
  });

  it('names the request error codes', () => {
    for (const code of [
      ApiErrorCodes.invalidRequest,
      ApiErrorCodes.unauthenticated,
      ApiErrorCodes.forbidden,
      ApiErrorCodes.rateLimited,
    ]) {
      expect(readme).toContain(code);
    }
  });
});

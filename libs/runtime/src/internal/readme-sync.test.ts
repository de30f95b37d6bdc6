import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigTable } from '@ciem/config';
import { describe, expect, it } from 'vitest';
import { EXIT_CONFIG_INVALID, EXIT_OK, EXIT_RUNTIME_FAILURE } from './exit-codes.js';
import { serviceSettings } from './service-settings.js';

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'),
  'utf8',
);

describe('runtime README', () => {
  it('contains the generated settings table', () => {
    expect(readme).toContain(renderConfigTable(serviceSettings));
  });

  it('lists every exit code', () => {
    const codes = { EXIT_OK, EXIT_RUNTIME_FAILURE, EXIT_CONFIG_INVALID };
    for (const [name, code] of Object.entries(codes)) {
      expect(readme).toMatch(new RegExp(`\\|\\s*${code}\\s*\\|\\s*\`${name}\`\\s*\\|`));
    }
  });
});

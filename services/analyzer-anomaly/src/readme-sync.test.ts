import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigTable } from '@ciem/config';
import { describe, expect, it } from 'vitest';
import { analyzerAnomalySchema } from './config.js';

const readme = readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md'),
  'utf8',
);

describe('analyzer-anomaly README', () => {
  it('contains the generated settings table', () => {
    expect(readme).toContain(renderConfigTable(analyzerAnomalySchema));
  });
});

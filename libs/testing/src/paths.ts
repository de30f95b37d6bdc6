import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's location (libs/testing/src). */
export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
);

/**
 * The public sample datasets that sit beside the clone, at `../shared/datasets`. Suites that
 * read them skip, saying so, when the folder is absent.
 */
export const sharedDatasetsDir = path.resolve(repoRoot, '..', 'shared', 'datasets');

/** True when the shared sample datasets are present beside the clone. */
export const hasSharedDatasets = existsSync(sharedDatasetsDir);

/** The reason printed by suites that skip because the shared datasets are absent. */
export const sharedDatasetsSkipReason = `shared datasets not found at ${sharedDatasetsDir}; skipping suites that read them`;

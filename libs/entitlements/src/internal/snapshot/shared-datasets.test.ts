import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countGrants } from '../model/compact-entitlements.js';
import { evaluateAzureEntitlements } from '../azure/azure-entitlements.js';
import { readAzureExports } from '../azure/azure-export.js';
import { evaluateGcpEntitlements } from '../gcp/gcp-entitlements.js';
import { readGcpExports } from '../gcp/gcp-export.js';
import type { ExportDocument } from './export-documents.js';
import { parseExportText } from './export-documents.js';

// The public samples sit beside the clone (`../shared/datasets`); the repository root is
// five levels above this file.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const datasets = path.resolve(repoRoot, '..', 'shared', 'datasets', 'entitlements');
const present = existsSync(path.join(datasets, 'azure')) && existsSync(path.join(datasets, 'gcp'));
if (!present) console.warn(`shared datasets not found at ${datasets}; skipping their suites`);

function readFolder(folder: string): { documents: ExportDocument[]; problems: number } {
  const documents: ExportDocument[] = [];
  let problems = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(json|ndjson)$/.test(entry.name)) {
        const parsed = parseExportText(path.relative(datasets, full), readFileSync(full, 'utf8'));
        documents.push(...parsed.documents);
        problems += parsed.problems.length;
      }
    }
  };
  walk(folder);
  return { documents, problems };
}

describe.skipIf(!present)('shared Azure samples', () => {
  it('evaluates every role definition', () => {
    const { documents, problems } = readFolder(path.join(datasets, 'azure'));
    expect(problems).toBe(0);
    const exported = readAzureExports(documents);
    const result = evaluateAzureEntitlements(exported, {
      takenAt: 0,
      catalogFromRoleDefinitions: true,
    });
    const grants = result.principals.reduce((sum, entry) => sum + countGrants(entry), 0);
    console.info(
      `azure samples: ${result.stats.roleDefinitions} role definitions, ${result.stats.roleAssignments} assignments, ${result.stats.unknownRoleAssignments} with unknown roles, ${result.principals.length} principals, ${grants} grants, ${result.stats.catalogOperations} catalog operations`,
    );
    expect(result.stats.roleDefinitions).toBeGreaterThan(0);
    expect(result.stats.roleAssignments).toBeGreaterThan(0);
    expect(result.principals.length).toBeGreaterThan(0);
    expect(
      result.problems.every((problem) => problem.code !== 'CIEM_ENTITLEMENTS_INVALID_RECORD'),
    ).toBe(true);
  });
});

describe.skipIf(!present)('shared GCP samples', () => {
  it('evaluates asset inventory policies', () => {
    const { documents, problems } = readFolder(path.join(datasets, 'gcp'));
    expect(problems).toBe(0);
    const result = evaluateGcpEntitlements(readGcpExports(documents), { takenAt: 0 });
    const grants = result.principals.reduce((sum, entry) => sum + countGrants(entry), 0);
    const findings = result.principals.reduce((sum, entry) => sum + entry.findings.length, 0);
    console.info(
      `gcp samples: ${result.stats.policies} policies, ${result.stats.bindings} bindings, ${result.stats.roles} roles, ${result.stats.unknownRoles} unknown roles, ${result.principals.length} principals, ${grants} grants, ${findings} findings`,
    );
    expect(result.stats.policies).toBeGreaterThan(0);
    expect(result.stats.roles).toBeGreaterThan(1000);
    expect(result.principals.length).toBeGreaterThan(0);
    expect(findings).toBeGreaterThan(0);
  });
});

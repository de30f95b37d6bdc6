import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sharedDatasetsDir, sharedDatasetsSkipReason } from '@ciem/testing';
import { describe, expect, it } from 'vitest';
import { countGrants } from '../model/compact-entitlements.js';
import { parseAwsAuthorizationDetails } from './authorization-details.js';
import { evaluateAwsEntitlements } from './evaluate-aws.js';

const folder = path.join(sharedDatasetsDir, 'entitlements', 'aws');
const files = existsSync(folder)
  ? readdirSync(folder).filter((name) => name.endsWith('.json'))
  : [];
if (files.length === 0) console.log(sharedDatasetsSkipReason);

describe.skipIf(files.length === 0)('AWS authorization details samples', () => {
  for (const name of files) {
    it(`evaluates ${name}`, () => {
      const value = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as unknown;
      const details = parseAwsAuthorizationDetails([{ source: name, value }]);
      const result = evaluateAwsEntitlements(details);

      expect(result.principals).toHaveLength(details.users.length + details.roles.length);
      for (const principal of result.principals) {
        expect(principal.grant_groups, principal.principal_id).toBeDefined();
      }
      const kinds = new Map<string, number>();
      for (const principal of result.principals) {
        for (const finding of principal.findings)
          kinds.set(finding.kind, (kinds.get(finding.kind) ?? 0) + 1);
      }
      const grants = result.principals.reduce((sum, principal) => sum + countGrants(principal), 0);
      console.log(
        `${name}: ${details.users.length} users, ${details.roles.length} roles, ` +
          `${details.groups.length} groups, ${details.policies.size} policies, ${grants} grants, ` +
          `findings ${JSON.stringify(Object.fromEntries(kinds))}, ` +
          `unresolved policies ${result.stats.unresolvedPolicyArns.length}, ` +
          `unknown actions ${result.stats.unknownActions.length}`,
      );
    });
  }
});

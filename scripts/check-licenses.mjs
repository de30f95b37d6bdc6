#!/usr/bin/env node
// Fails when a production dependency carries a license that would change the project's
// Apache-2.0 terms for users: copyleft (GPL, AGPL, LGPL, SSPL, EUPL, OSL, CPAL...) or
// no license at all. Development tools are not shipped and are not checked.
import { execFileSync } from 'node:child_process';

import { ALLOWED, isAllowed, licenseOf } from './license-policy.mjs';

const output = execFileSync('npm', ['query', '.prod'], {
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
const packages = JSON.parse(output);
const problems = [];
for (const pkg of packages) {
  if (pkg.name?.startsWith('@ciem/')) continue;
  const license = licenseOf(pkg);
  if (license === undefined) problems.push(`${pkg.name}@${pkg.version}: no license declared`);
  else if (!isAllowed(license)) problems.push(`${pkg.name}@${pkg.version}: ${license}`);
}

if (problems.length > 0) {
  console.error(
    `License check failed: ${problems.length} production dependencies carry a license outside the allowed set (${[...ALLOWED].join(', ')}):`,
  );
  for (const problem of problems) console.error(`  ${problem}`);
  console.error(
    'Replace the dependency, or, if its license is in fact compatible with Apache-2.0, add it to ALLOWED in scripts/check-licenses.mjs with a comment saying why.',
  );
  process.exit(1);
}
console.log(
  `License check passed: ${packages.length} production packages, all under allowed licenses.`,
);

// The license policy for production dependencies, kept apart from the script so a test
// can check it.

// Licenses known to be compatible with distributing under Apache-2.0.
export const ALLOWED = new Set([
  'Apache-2.0',
  'MIT',
  'MIT-0',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'CC0-1.0',
  'Unlicense',
  'BlueOak-1.0.0',
  'Python-2.0',
  'CC-BY-4.0',
]);

export function licenseOf(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license.type === 'string') return pkg.license.type;
  if (Array.isArray(pkg.licenses))
    return pkg.licenses.map((entry) => entry.type ?? entry).join(' OR ');
  return undefined;
}

// An SPDX expression passes when every AND-term is satisfied and at least one OR-branch of
// each term is allowed: `(MIT OR GPL-3.0)` is fine, `MIT AND GPL-3.0` is not.
export function isAllowed(expression) {
  const cleaned = expression.replace(/[()]/g, ' ').trim();
  return cleaned
    .split(/\s+AND\s+/)
    .every((term) => term.split(/\s+OR\s+/).some((id) => ALLOWED.has(id.trim())));
}

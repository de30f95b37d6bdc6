/**
 * Comparisons between IAM resource patterns. In a `Resource` element `*` matches any run of
 * characters and `?` one character (IAM JSON policy elements reference, "Resource"). These
 * functions compare two patterns, not a pattern and a concrete ARN, to decide how an Allow
 * and a Deny (or a boundary) on different patterns combine.
 *
 * A policy variable such as `${aws:username}` is replaced by a value of the request at
 * evaluation time (IAM User Guide, "IAM policy elements: Variables and tags"). Patterns are
 * compared without a request, so a variable stands for unknown text: it may overlap
 * anything, and a pattern with one covers only the same pattern. The escapes `${*}`, `${?}`
 * and `${$}` are treated the same way, which can only make a comparison less certain.
 */

const WILDCARDS = /[*?]/;
const POLICY_VARIABLES = /\$\{[^}]*\}/g;

function hasPolicyVariable(pattern: string): boolean {
  return pattern.includes('${');
}

/** Replaces each policy variable by `*`, the widest text it can resolve to. */
function variablesAsWildcards(pattern: string): string {
  return hasPolicyVariable(pattern) ? pattern.replace(POLICY_VARIABLES, '*') : pattern;
}

/** Returns true when `text` (no wildcards of its own) matches `pattern`. */
export function matchesResource(pattern: string, text: string): boolean {
  if (pattern === '*' || pattern === text) return true;
  if (!WILDCARDS.test(pattern)) return false;
  return globMatch(pattern, 0, text, 0, new Map());
}

function globMatch(
  pattern: string,
  i: number,
  text: string,
  j: number,
  memo: Map<number, boolean>,
): boolean {
  const key = i * (text.length + 1) + j;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let result: boolean;
  if (i === pattern.length) result = j === text.length;
  else if (pattern[i] === '*') {
    result =
      globMatch(pattern, i + 1, text, j, memo) ||
      (j < text.length && globMatch(pattern, i, text, j + 1, memo));
  } else if (j < text.length && (pattern[i] === '?' || pattern[i] === text[j])) {
    result = globMatch(pattern, i + 1, text, j + 1, memo);
  } else result = false;
  memo.set(key, result);
  return result;
}

/**
 * Returns true when every resource `inner` can match is also matched by `outer`. A literal
 * character of `outer` never covers a wildcard of `inner`, and `?` in `outer` covers only a
 * literal or `?`, so the result may be false for some equal sets (sound, not complete).
 */
export function coversResource(outer: string, inner: string): boolean {
  if (outer === '*' || outer === inner) return true;
  // The value a variable of `outer` takes is unknown, so it is not known to cover anything.
  if (hasPolicyVariable(outer)) return false;
  const widened = variablesAsWildcards(inner);
  if (!WILDCARDS.test(widened)) return matchesResource(outer, widened);
  return coverMatch(outer, 0, widened, 0, new Map());
}

function coverMatch(
  outer: string,
  i: number,
  inner: string,
  j: number,
  memo: Map<number, boolean>,
): boolean {
  const key = i * (inner.length + 1) + j;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let result: boolean;
  if (i === outer.length) result = j === inner.length;
  else if (outer[i] === '*') {
    result =
      coverMatch(outer, i + 1, inner, j, memo) ||
      (j < inner.length && coverMatch(outer, i, inner, j + 1, memo));
  } else if (j < inner.length && inner[j] !== '*' && (outer[i] === '?' || outer[i] === inner[j])) {
    result = coverMatch(outer, i + 1, inner, j + 1, memo);
  } else result = false;
  memo.set(key, result);
  return result;
}

/** Returns true when some resource matches both patterns. */
export function overlapsResource(left: string, right: string): boolean {
  if (left === '*' || right === '*' || left === right) return true;
  const wideLeft = variablesAsWildcards(left);
  const wideRight = variablesAsWildcards(right);
  if (!WILDCARDS.test(wideLeft)) return matchesResource(wideRight, wideLeft);
  if (!WILDCARDS.test(wideRight)) return matchesResource(wideLeft, wideRight);
  return overlapMatch(wideLeft, 0, wideRight, 0, new Map());
}

function overlapMatch(
  left: string,
  i: number,
  right: string,
  j: number,
  memo: Map<number, boolean>,
): boolean {
  const key = i * (right.length + 1) + j;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let result: boolean;
  const a = left[i];
  const b = right[j];
  if (i === left.length && j === right.length) result = true;
  else if (a === '*') {
    // Either `*` matches nothing more, or it absorbs the next character of the other side.
    result =
      overlapMatch(left, i + 1, right, j, memo) ||
      (j < right.length && overlapMatch(left, i, right, j + 1, memo));
  } else if (b === '*') {
    result =
      overlapMatch(left, i, right, j + 1, memo) ||
      (i < left.length && overlapMatch(left, i + 1, right, j, memo));
  } else if (a !== undefined && b !== undefined && (a === '?' || b === '?' || a === b)) {
    result = overlapMatch(left, i + 1, right, j + 1, memo);
  } else result = false;
  memo.set(key, result);
  return result;
}

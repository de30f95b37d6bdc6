import type { CompactPrincipalEntitlements } from './compact-entitlements.js';
import { iterateGrants, toPrincipalEntitlements } from './compact-entitlements.js';
import type { EntitlementSnapshot, PrincipalEntitlements } from './entitlements.js';

/** Snapshot fields other than the principals. */
export type SnapshotHeader = Omit<EntitlementSnapshot, 'principals'>;

/** A principal in either form. */
export type AnyPrincipalEntitlements = PrincipalEntitlements | CompactPrincipalEntitlements;

function isCompact(principal: AnyPrincipalEntitlements): principal is CompactPrincipalEntitlements {
  return 'grant_groups' in principal;
}

/** Serializes one principal as `PrincipalEntitlements` JSON, expanding grants one at a time. */
export function principalToJson(principal: AnyPrincipalEntitlements): string {
  if (!isCompact(principal)) return JSON.stringify(principal);

  // The header fields are serialized from the expanded form without grants. Grants are
  // appended one by one, so no Grant[] of the whole principal exists at once.
  const { grants: _grants, ...header } = toPrincipalEntitlements({
    ...principal,
    grant_groups: [],
  });
  const parts: string[] = [];
  for (const grant of iterateGrants(principal)) parts.push(JSON.stringify(grant));
  const head = JSON.stringify(header);
  return `${head.slice(0, -1)},"grants":[${parts.join(',')}]}`;
}

/**
 * Yields an `EntitlementSnapshot` as JSON text in pieces: the header, then one piece per
 * principal, then the closing brackets. Concatenated, the pieces parse as one snapshot.
 * Write them to a file or socket as they come so memory stays bounded by one principal.
 */
export async function* streamSnapshotJson(
  header: SnapshotHeader,
  principals: Iterable<AnyPrincipalEntitlements> | AsyncIterable<AnyPrincipalEntitlements>,
): AsyncGenerator<string> {
  const head = JSON.stringify({
    taken_at: header.taken_at,
    provider: header.provider,
    account_id: header.account_id,
  });
  yield `${head.slice(0, -1)},"principals":[`;
  let first = true;
  for await (const principal of principals) {
    yield (first ? '\n' : ',\n') + principalToJson(principal);
    first = false;
  }
  yield '\n]}\n';
}

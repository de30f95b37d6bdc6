export type Provider = 'aws' | 'azure' | 'gcp';

/** One API call the simulator can emit, with the IAM permissions it exercises. */
export interface ApiCall {
  /** CloudTrail `eventName`, Azure `operationName`, or GCP `methodName`. */
  readonly name: string;
  /** CloudTrail `eventSource`, Azure resource provider, or GCP `serviceName`. */
  readonly service: string;
  readonly permissions: readonly string[];
  readonly readOnly: boolean;
  /** A data event (CloudTrail data event, GCP `data_access` log). */
  readonly data: boolean;
  /** Relative frequency inside its permission group. */
  readonly weight: number;
  /** The resource kind the formatter fills into the record. */
  readonly resource: string;
}

/** A named set of calls that are granted and used together (for example `aws:s3-read`). */
export interface PermissionGroup {
  readonly id: string;
  readonly provider: Provider;
  readonly calls: readonly ApiCall[];
}

/** Builds a catalog entry; `flags` holds `r` (read-only) and `d` (data event). */
export function apiCall(
  service: string,
  name: string,
  permissions: string | readonly string[],
  resource: string,
  flags = '',
  weight = 1,
): ApiCall {
  return {
    name,
    service,
    permissions: typeof permissions === 'string' ? [permissions] : permissions,
    readOnly: flags.includes('r'),
    data: flags.includes('d'),
    weight,
    resource,
  };
}

/** Returns every distinct permission the calls of `groups` exercise, sorted. */
export function permissionsOf(groups: readonly PermissionGroup[]): string[] {
  const set = new Set<string>();
  for (const group of groups)
    for (const call of group.calls) for (const p of call.permissions) set.add(p);
  return [...set].sort();
}

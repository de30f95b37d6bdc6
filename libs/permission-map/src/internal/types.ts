/**
 * Whether the use of a permission shows in the provider's audit log:
 * - `logged`: recorded by default (AWS management events, Azure Activity Log writes,
 *   GCP Admin Activity);
 * - `data-event`: recorded only when the customer enables it (CloudTrail data and network
 *   activity events, Azure resource logs, GCP Data Access logs);
 * - `not-logged`: never recorded as its own event (`iam:PassRole`, Azure `/read`
 *   operations in the Activity Log).
 */
export type PermissionVisibility = 'logged' | 'data-event' | 'not-logged';

/**
 * Outcome of mapping one provider event:
 * - `mapped`: `permissions` lists the catalog actions the call exercised;
 * - `no-permission`: the event exercised no permission of a principal (sign-in, an event
 *   a service emitted itself, a call that needs no permission);
 * - `unmapped`: the mapping failed, and `reason` gives the cause. Callers count these.
 */
export type MappingStatus = 'mapped' | 'no-permission' | 'unmapped';

/** Provider of a mapped event. */
export type CloudProvider = 'aws' | 'azure' | 'gcp';

/** The fields of any mapping result that the mapping report reads. */
export interface MappingOutcome {
  readonly provider: CloudProvider;
  readonly status: MappingStatus;
  /** AWS `eventSource`, Azure resource provider namespace, GCP `serviceName`. */
  readonly source: string;
  /** AWS `eventName`, Azure `operationName`, GCP `methodName`. */
  readonly operation: string;
  readonly reason?: string;
}

import type { AlertSeverity, NormalizedEvent } from '@ciem/events';
import type { PrincipalState } from './principal-state.js';
import type { ResolvedAnomalyOptions } from './options.js';

/** A detection rule: what an alert of this kind is called and why it matters. */
export interface RuleDefinition {
  /** Stable id, used in dedupe keys, suppression rules and dashboards. */
  readonly id: string;
  readonly name: string;
  readonly severity: AlertSeverity;
  /** MITRE ATT&CK (Enterprise, cloud matrix) technique ids. */
  readonly mitre: readonly string[];
  /** Why the behaviour is suspicious and what to check; becomes the alert description. */
  readonly rationale: string;
}

/** One rule firing on one event. */
export interface Detection {
  readonly rule: RuleDefinition;
  /**
   * What the alert is about within the principal (a permission, an access key, a trail), or
   * an empty string when one alert per principal and window is wanted.
   */
  readonly subject: string;
  readonly title: string;
  /** Overrides the rule's severity, e.g. for a weighted first use. */
  readonly severity?: AlertSeverity;
  readonly details?: Readonly<Record<string, string>>;
  /** Aggregation window of this detection when it differs from the engine's `windowMs`. */
  readonly windowMs?: number;
}

/** Country and, where known, coordinates of an address. */
export interface GeoLocation {
  /** ISO 3166-1 alpha-2 code. */
  readonly country: string;
  readonly latitude?: number;
  readonly longitude?: number;
}

/** Port that resolves an IP address to a location; undefined when unknown. */
export type GeoLookup = (ip: string) => GeoLocation | undefined;

/**
 * Port that reports whether right-sizing marked a permission of a principal as unused for an
 * event at `eventTime` (milliseconds since the Unix epoch). Permissions are compared as the
 * provider spells them in `action.permissions`.
 */
export type UnusedPermissionLookup = (
  principalId: string,
  permission: string,
  eventTime: number,
) => boolean;

/** What every detector receives besides the event and the principal's state. */
export interface DetectorContext {
  readonly options: ResolvedAnomalyOptions;
  readonly isMarkedUnused: UnusedPermissionLookup;
  readonly geo: GeoLookup | undefined;
}

/**
 * A detector inspects one event against the principal's state as it was before the event,
 * pushes its detections into `out`, and updates only the state fields it owns. The engine
 * updates the shared fields (first and last seen, event count) after every detector ran.
 */
export interface Detector {
  readonly rules: readonly RuleDefinition[];
  /**
   * True for detectors that compare a principal with its own history (novelty, silence,
   * rate). The engine skips them for principals that form no baseline: unknown or anonymous
   * callers, whose unrelated events share one state, and the cloud provider's own service
   * principals (see principal-baseline.ts).
   */
  readonly baseline?: boolean;
  /**
   * True for detectors that also learn from a secondary record of an operation, such as an
   * Azure Started record or the last entry of a GCP long-running operation. They look only
   * at when and from where the principal called, which such a record shows. The engine gives
   * the others only the record that counts as the operation's call, so that each operation
   * counts once. For Azure that is the final record, the only one that shows whether the
   * operation succeeded. For GCP it is the first entry, which lists the permission checks.
   */
  readonly secondaryOperationRecords?: boolean;
  detect(
    event: NormalizedEvent,
    state: PrincipalState,
    context: DetectorContext,
    out: Detection[],
  ): void;
}

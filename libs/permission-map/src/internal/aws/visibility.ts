import type { PermissionVisibility } from '../types.js';
import { expandAwsActionPattern, lookupAwsAction } from './catalog.js';
import {
  AWS_DATA_EVENT_ACTIONS,
  AWS_DATA_EVENT_SERVICES,
  AWS_NOT_LOGGED_ACTIONS,
  AWS_OBJECT_LEVEL_SERVICES,
} from './visibility-tables.js';

interface VisibilitySets {
  readonly notLogged: ReadonlySet<string>;
  readonly dataEvent: ReadonlySet<string>;
  readonly dataEventServices: ReadonlySet<string>;
  readonly objectLevelServices: ReadonlySet<string>;
}

let visibilitySets: VisibilitySets | undefined;

// Lower-cases the entries and expands wildcard patterns against the catalog.
function expandEntries(entries: readonly string[]): ReadonlySet<string> {
  const actions = new Set<string>();
  for (const entry of entries) {
    const names = entry.includes('*') ? expandAwsActionPattern(entry) : [entry];
    for (const name of names) actions.add(name.toLowerCase());
  }
  return actions;
}

// Built on first use, so that importing this module reads no catalog file.
function setsOf(): VisibilitySets {
  visibilitySets ??= {
    notLogged: expandEntries(AWS_NOT_LOGGED_ACTIONS),
    dataEvent: expandEntries(AWS_DATA_EVENT_ACTIONS),
    dataEventServices: new Set(AWS_DATA_EVENT_SERVICES),
    objectLevelServices: new Set(AWS_OBJECT_LEVEL_SERVICES),
  };
  return visibilitySets;
}

/**
 * Returns whether the use of an AWS permission shows in CloudTrail, compared
 * case-insensitively. Actions logged only when data events are enabled are `data-event`.
 * Permissions checked without an event of their own, and calls CloudTrail never records,
 * are `not-logged`. The rest, including actions the catalog lacks, are `logged`
 * (management events, on by default). The tables are in `visibility-tables.ts`. Throws
 * `CIEM_PERMISSION_MAP_CATALOG_UNAVAILABLE` (ConfigError) when the catalog cannot be read.
 *
 * NOTE: CloudTrail's data event table names many more resource types than the tables
 * cover. An action of a data event type they do not name is reported as `logged` until
 * they name it.
 */
export function awsPermissionVisibility(action: string): PermissionVisibility {
  const key = action.trim().toLowerCase();
  const sets = setsOf();
  if (sets.notLogged.has(key)) return 'not-logged';
  if (sets.dataEvent.has(key)) return 'data-event';

  const service = key.split(':')[0] ?? '';
  if (sets.dataEventServices.has(service)) return 'data-event';
  if (sets.objectLevelServices.has(service)) {
    const entry = lookupAwsAction(key);
    if (entry?.resourceTypes.includes('object')) return 'data-event';
  }
  return 'logged';
}

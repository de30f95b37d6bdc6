import type { NormalizedEvent } from '@ciem/events';
import type { KeyWindow, PrincipalState } from '../principal-state.js';
import type { Detection, RuleDefinition } from '../types.js';

/**
 * One access key used from many networks in a short time: a leaked key is typically tried
 * from many hosts at once, while a legitimate key works from one place.
 */
export const KEY_SPREAD_RULE: RuleDefinition = {
  id: 'access-key-many-networks',
  name: 'Access key used from many networks',
  severity: 'high',
  mitre: ['T1078.004', 'T1552'],
  rationale:
    'One access key was used from several networks within a short window. Leaked keys are used from many hosts at once; deactivate the key if the sources are unknown.',
};

/**
 * Access keys whose window a principal keeps at once. A user's long-term key and the
 * temporary key of its console session sign interleaved calls (CloudTrail `accessKeyId` is
 * the key that signed each request), so one window per principal would restart at every
 * switch and never reach `keyMinNetworks`.
 */
const MAX_TRACKED_KEYS = 4;

/**
 * Adds the call's network to the window of its access key and reports the key once the
 * window contains `minNetworks` networks. A window lasts `windowMs` from its first call, and
 * a later call starts a new one. When every slot is taken, the window that started first
 * makes room.
 */
export function checkKeySpread(
  event: NormalizedEvent,
  state: PrincipalState,
  network: number,
  minNetworks: number,
  windowMs: number,
  out: Detection[],
): void {
  const key = event.access_key_id;
  if (key === null || key.length === 0) return;
  const window = keyWindowOf(state, key, event.event_time, windowMs);
  if (window.networks.includes(network)) return;
  window.networks.push(network);
  if (window.networks.length < minNetworks) return;
  out.push({
    rule: KEY_SPREAD_RULE,
    subject: key,
    title: `Access key ${key} of ${event.principal.name ?? event.principal.id} was used from ${window.networks.length} networks`,
    details: { access_key_id: key, networks: String(window.networks.length) },
  });
}

function keyWindowOf(
  state: PrincipalState,
  key: string,
  time: number,
  windowMs: number,
): KeyWindow {
  const windows = state.keyWindows;
  const current = windows.find((window) => window.key === key);
  if (current !== undefined) {
    if (time - current.start > windowMs) {
      current.start = time;
      current.networks = [];
    }
    return current;
  }
  if (windows.length >= MAX_TRACKED_KEYS) {
    let oldest = 0;
    for (let i = 1; i < windows.length; i++) {
      if ((windows[i] as KeyWindow).start < (windows[oldest] as KeyWindow).start) oldest = i;
    }
    windows.splice(oldest, 1);
  }
  const fresh: KeyWindow = { key, start: time, networks: [] };
  windows.push(fresh);
  return fresh;
}

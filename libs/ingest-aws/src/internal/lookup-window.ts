/**
 * Progress of a LookupEvents poller. Every event before `time` is published, and so are the
 * events listed in `ids` that happened within the second starting at `time`. CloudTrail
 * event times have whole-second precision, so `time` is always a whole second.
 */
export interface LookupCheckpoint {
  /** Start of the next window, in milliseconds since the epoch. */
  time: number;
  /** `EventId`s of events at the second `time` that were already published. */
  ids: string[];
}

/** A LookupEvents time window, both ends whole seconds in milliseconds since the epoch. */
export interface LookupWindow {
  start: number;
  end: number;
}

/** One event of a LookupEvents response. */
export interface LookupEventItem {
  eventId: string;
  /** Event time in milliseconds since the epoch. */
  eventTime: number;
  /** The `CloudTrailEvent` string: the original CloudTrail record. */
  cloudTrailEvent: string | undefined;
}

/** Rounds a time in milliseconds down to its whole second. */
export function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** Returns the checkpoint of a poller that has none: `lookbackMs` before `now`. */
export function initialCheckpoint(now: number, lookbackMs: number): LookupCheckpoint {
  return { time: floorToSecond(now - lookbackMs), ids: [] };
}

/**
 * Returns the next window to read: from the checkpoint to `now - delayMs`, at most
 * `maxWindowMs` long, or undefined when no whole second is ready yet. The delay leaves
 * CloudTrail time to make late events visible in LookupEvents.
 */
export function nextWindow(
  checkpoint: LookupCheckpoint,
  now: number,
  options: { delayMs: number; maxWindowMs: number },
): LookupWindow | undefined {
  const end = floorToSecond(Math.min(checkpoint.time + options.maxWindowMs, now - options.delayMs));
  if (end <= checkpoint.time) return undefined;
  return { start: checkpoint.time, end };
}

/** Returns the first half of a window, at least one second long, for windows with too many events. */
export function halveWindow(window: LookupWindow): LookupWindow {
  const half = floorToSecond(window.start + (window.end - window.start) / 2);
  return { start: window.start, end: Math.max(window.start + 1000, half) };
}

/**
 * Picks the events of a fully read window that still need publishing, oldest first, and
 * the checkpoint to store once they are acknowledged. It drops events already published
 * (listed in the checkpoint), events listed twice, and events outside the window (read again
 * by a later window). The new checkpoint starts at the window's end and lists the events of
 * that second, because the next window starts with that second and returns them again.
 */
export function settleWindow(
  checkpoint: LookupCheckpoint,
  window: LookupWindow,
  events: readonly LookupEventItem[],
): { publish: LookupEventItem[]; next: LookupCheckpoint } {
  const seen = new Set(checkpoint.ids);
  const chosen = new Map<string, LookupEventItem>();
  for (const event of events) {
    if (event.eventTime < window.start || event.eventTime >= window.end + 1000) continue;
    if (floorToSecond(event.eventTime) === checkpoint.time && seen.has(event.eventId)) continue;
    if (!chosen.has(event.eventId)) chosen.set(event.eventId, event);
  }
  const publish = [...chosen.values()].sort(
    (a, b) => a.eventTime - b.eventTime || a.eventId.localeCompare(b.eventId),
  );

  const endIds = new Set<string>();
  for (const event of events) {
    if (floorToSecond(event.eventTime) === window.end) endIds.add(event.eventId);
  }
  return { publish, next: { time: window.end, ids: [...endIds].sort() } };
}

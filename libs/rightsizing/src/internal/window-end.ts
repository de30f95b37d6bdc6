const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses the end of a right-sizing window given by a user. A UTC day `YYYY-MM-DD` ends the
 * window at the end of that day, so the day's events count. An ISO 8601 time needs its zone,
 * as in `2024-06-30T12:00:00Z`. Returns the exclusive end in milliseconds since the Unix
 * epoch, or `undefined` for any other text.
 */
export function parseWindowEnd(text: string): number | undefined {
  const day = DAY.exec(text);
  if (day !== null) {
    const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    // Date.UTC rolls 2024-02-30 over to March, so such a day fails the round trip.
    return new Date(start).toISOString().slice(0, 10) === text ? start + DAY_MS : undefined;
  }
  if (!TIME.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

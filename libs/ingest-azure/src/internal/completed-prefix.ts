/**
 * Returns the index of the last entry of the leading run of `true` values, or -1 when the
 * first entry is `false` or there are none. With `completed[i]` true once Kafka acknowledged
 * event `i` of a batch, it is the event to checkpoint: a checkpoint may move to an event only
 * when that event and every event before it were acknowledged.
 */
export function lastOfCompletedPrefix(completed: readonly boolean[]): number {
  let last = -1;
  while (last + 1 < completed.length && completed[last + 1] === true) last += 1;
  return last;
}

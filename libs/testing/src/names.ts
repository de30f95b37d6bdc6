import { randomBytes } from 'node:crypto';

/** Returns a unique name for a topic, group or table, so test runs never share state. */
export function randomName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

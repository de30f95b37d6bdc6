/**
 * Returns `table[key]` when `key` is the table's own key. Keys come from records, and a
 * plain read of `constructor` or `__proto__` returns the Object.prototype property of
 * that name, a function or an object, where the caller expects an entry or undefined.
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Interned permission sets. A catalog expansion such as AdministratorAccess (`*` on `*`,
 * about 22 000 AWS actions) is computed once and stored as sorted integer ids. Every
 * principal granted it shares that one copy, so 10 000 administrators cost 10 000
 * references rather than 10 000 copies of the action list.
 */

/**
 * Maps permission names to small integer ids and back. One table serves a whole evaluation
 * so sets from different policies compare and intersect by id. Names are stored as given:
 * callers pass the canonical spelling of their provider.
 */
export class PermissionTable {
  private readonly idsByName = new Map<string, number>();
  private readonly names: string[] = [];

  /** Returns the id of `name`, adding it on first use. */
  intern(name: string): number {
    const known = this.idsByName.get(name);
    if (known !== undefined) return known;
    const id = this.names.length;
    this.names.push(name);
    this.idsByName.set(name, id);
    return id;
  }

  /** Returns the id of `name`, or `undefined` when the table has never seen it. */
  idOf(name: string): number | undefined {
    return this.idsByName.get(name);
  }

  /** Returns the name of an id from this table; throws a RangeError for an unknown id. */
  nameOf(id: number): string {
    const name = this.names[id];
    if (name === undefined) throw new RangeError(`permission id ${id} is not in this table`);
    return name;
  }

  /** Number of distinct names interned. */
  get size(): number {
    return this.names.length;
  }
}

const EMPTY_IDS = new Uint32Array(0);

/**
 * An immutable set of permission ids, sorted ascending, expanded on first use. `key`
 * identifies the content (for example the statement's actions) so equal expansions are
 * interned once by `PermissionSetCache`.
 */
export class PermissionSet {
  private expanded: Uint32Array | undefined;
  private resolve: (() => Uint32Array) | undefined;

  constructor(
    /** Position of the set in its cache; derived sets are keyed by their operands' ids. */
    readonly id: number,
    readonly key: string,
    readonly table: PermissionTable,
    ids: Uint32Array | (() => Uint32Array),
  ) {
    if (typeof ids === 'function') this.resolve = ids;
    else this.expanded = ids;
  }

  /** Returns the sorted ids, computing them on the first call. */
  ids(): Uint32Array {
    if (this.expanded === undefined) {
      const resolve = this.resolve;
      this.expanded = resolve === undefined ? EMPTY_IDS : resolve();
      this.resolve = undefined;
    }
    return this.expanded;
  }

  /** Number of permissions (expands the set). */
  get size(): number {
    return this.ids().length;
  }

  /** Returns true when the set contains the id (binary search). */
  has(id: number): boolean {
    const ids = this.ids();
    let low = 0;
    let high = ids.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = ids[middle] as number;
      if (value === id) return true;
      if (value < id) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** The permission names, in id order. */
  *names(): IterableIterator<string> {
    for (const id of this.ids()) yield this.table.nameOf(id);
  }
}

/** Sorts and deduplicates ids into a new array. */
export function toSortedIds(ids: Iterable<number>): Uint32Array {
  const sorted = Uint32Array.from(ids).sort();
  let length = 0;
  for (let index = 0; index < sorted.length; index += 1) {
    const id = sorted[index] as number;
    if (length === 0 || sorted[length - 1] !== id) sorted[length++] = id;
  }
  return length === sorted.length ? sorted : sorted.slice(0, length);
}

/** Returns the ids of sorted `left` that are (`keep` true) or are not in sorted `right`. */
function mergeFilter(left: Uint32Array, right: Uint32Array, keep: boolean): Uint32Array {
  const result = new Uint32Array(left.length);
  let length = 0;
  let j = 0;
  for (const id of left) {
    while (j < right.length && (right[j] as number) < id) j += 1;
    const present = j < right.length && right[j] === id;
    if (present === keep) result[length++] = id;
  }
  return length === result.length ? result : result.slice(0, length);
}

/**
 * Interns permission sets by key and memoizes set operations by the operands' keys, so the
 * same expansion, difference or intersection is computed and stored once per evaluation.
 */
export class PermissionSetCache {
  private readonly sets = new Map<string, PermissionSet>();
  readonly empty: PermissionSet;

  constructor(readonly table: PermissionTable) {
    this.empty = new PermissionSet(0, '', table, EMPTY_IDS);
    this.sets.set('', this.empty);
  }

  /**
   * Returns the set stored under `key`, creating it lazily from `expand` on first use. Keys
   * starting with `-`, `&` or `|` are reserved for derived sets.
   */
  intern(key: string, expand: () => Iterable<number>): PermissionSet {
    return this.internSorted(key, () => toSortedIds(expand()));
  }

  private internSorted(key: string, expand: () => Uint32Array): PermissionSet {
    const known = this.sets.get(key);
    if (known !== undefined) return known;
    const set = new PermissionSet(this.sets.size, key, this.table, expand);
    this.sets.set(key, set);
    return set;
  }

  /** Returns `left` minus `right`, interned. */
  difference(left: PermissionSet, right: PermissionSet): PermissionSet {
    if (right.id === 0 || left.id === 0) return left;
    if (left.id === right.id) return this.empty;
    return this.internSorted(`-${left.id},${right.id}`, () =>
      mergeFilter(left.ids(), right.ids(), false),
    );
  }

  /** Returns `left` intersected with `right`, interned (order of operands does not matter). */
  intersection(left: PermissionSet, right: PermissionSet): PermissionSet {
    if (left.id === right.id) return left;
    if (left.id === 0 || right.id === 0) return this.empty;
    const [first, second] = left.id < right.id ? [left, right] : [right, left];
    return this.internSorted(`&${first.id},${second.id}`, () =>
      mergeFilter(first.ids(), second.ids(), true),
    );
  }

  /** Returns the union of `sets`, interned (order does not matter). */
  union(sets: readonly PermissionSet[]): PermissionSet {
    const distinct = [...new Set(sets.filter((set) => set.id !== 0))].sort((a, b) => a.id - b.id);
    if (distinct.length === 0) return this.empty;
    if (distinct.length === 1) return distinct[0] as PermissionSet;
    return this.internSorted(`|${distinct.map((set) => set.id).join(',')}`, () => {
      const all = new Uint32Array(distinct.reduce((sum, set) => sum + set.size, 0));
      let offset = 0;
      for (const set of distinct) {
        all.set(set.ids(), offset);
        offset += set.size;
      }
      return toSortedIds(all);
    });
  }

  /** Number of distinct sets interned, the empty set included. */
  get size(): number {
    return this.sets.size;
  }
}

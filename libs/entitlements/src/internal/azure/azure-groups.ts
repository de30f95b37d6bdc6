/**
 * Returns a function listing every group a member belongs to, directly or through nested
 * groups. The parent index is built once. Cycles in the membership data end the walk
 * instead of looping.
 */
export function groupAncestry(
  groupMembers: ReadonlyMap<string, ReadonlySet<string>>,
): (memberId: string) => Set<string> {
  const parents = new Map<string, string[]>();
  for (const [group, members] of groupMembers) {
    for (const member of members) {
      const list = parents.get(member) ?? [];
      list.push(group);
      parents.set(member, list);
    }
  }
  return (memberId) => {
    const found = new Set<string>();
    const pending = [...(parents.get(memberId) ?? [])];
    while (pending.length > 0) {
      const group = pending.pop() as string;
      if (found.has(group) || group === memberId) continue;
      found.add(group);
      pending.push(...(parents.get(group) ?? []));
    }
    return found;
  };
}

// Priorities of policies and rules: 1 is evaluated first, and they stay 1..n.

/** @internal Items sorted by priority (1 first). */
export function byPriority<T extends { priority: number }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => a.priority - b.priority)
}

/** @internal Put an item at a priority (1 = first; default: last); the others move down and are renumbered. */
export function place<T extends { id: string; priority: number }>(
  items: Map<string, T>,
  item: T,
  priority: number | undefined,
): void {
  const others = byPriority([...items.values()].filter((x) => x.id !== item.id))
  const index = priority === undefined ? others.length : Math.min(priority - 1, others.length)
  others.splice(index, 0, item)
  for (const [i, x] of others.entries()) x.priority = i + 1
  items.set(item.id, item)
}

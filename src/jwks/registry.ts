// Every live JWKS cache of this process, by `jwks_uri`: a key rotation made
// through the management API reloads them all (`keys.rotateAndWait`). Held
// weakly, so a cache nobody uses any more is still collected.

/** @internal What the registry needs of a cache. */
export interface Reloadable {
  readonly jwksUri: string
  refetch(): Promise<unknown>
}

const registry = new Map<string, Set<WeakRef<Reloadable>>>()

/** @internal Register a cache under its `jwksUri` (dead entries are swept past 64). */
export function registerCache(cache: Reloadable): void {
  let refs = registry.get(cache.jwksUri)
  if (!refs) {
    refs = new Set()
    registry.set(cache.jwksUri, refs)
  }
  if (refs.size >= 64) for (const ref of refs) if (!ref.deref()) refs.delete(ref)
  refs.add(new WeakRef(cache))
}

/**
 * @internal
 * Reload every live cache of `jwksUri` in this process (after a key rotation
 * made through the management API). Resolves when all have reloaded or failed.
 * @returns How many caches it reloaded.
 */
export async function reloadCachesOf(jwksUri: string): Promise<number> {
  const refs = registry.get(jwksUri)
  if (!refs) return 0
  const caches: Reloadable[] = []
  for (const ref of refs) {
    const cache = ref.deref()
    if (cache) caches.push(cache)
    else refs.delete(ref)
  }
  await Promise.allSettled(caches.map((c) => c.refetch()))
  return caches.length
}

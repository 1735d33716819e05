// Code an entry needs only on some paths (jose's key import and JWT
// functions, ky, the core client behind introspection) is loaded at its
// first use instead of when the entry is imported: a cold
// `import('okta-oauth-kit/verifier')` or `/admin` then costs only what every
// caller needs (see bench/cold-import.ts). The loader is called inside
// functions that are asynchronous anyway, so nothing the caller sees changes
// but when the module is read.

/**
 * @internal
 * A module loaded at its first use: `load` (a dynamic `import()`) runs on the
 * first call, and every call returns the same promise. A failed load is
 * forgotten, so the next call tries again.
 * @param load - `() => import('…')`.
 * @returns The loader.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined
  return () => {
    if (!loaded) {
      const attempt = load()
      loaded = attempt
      attempt.catch(() => {
        if (loaded === attempt) loaded = undefined
      })
    }
    return loaded
  }
}

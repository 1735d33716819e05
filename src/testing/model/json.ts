// The JSON objects the emulator's records hold and its request bodies carry.

/** @internal A JSON object. */
export type Json = Record<string, unknown>

/** @internal Whether a value is a JSON object (not an array, not `null`). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

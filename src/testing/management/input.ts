import { isObject, type Json } from '../model/json.js'
import type { Status } from '../model/records.js'
import { apiError, invalid } from './responses.js'

// Reading request bodies: JSON parsing, and validation problems reported
// together as Okta does (400 `E0000001` with every cause).

/** @internal Validation problems of a request body, reported together. */
export class Problems {
  readonly #list: { field: string; message: string }[] = []

  add(field: string, message: string): void {
    this.#list.push({ field, message })
  }

  get ok(): boolean {
    return this.#list.length === 0
  }

  response(): Response {
    return invalid(this.#list[0]!.field, ...this.#list.map((p) => `${p.field}: ${p.message}`))
  }
}

/** @internal The JSON object of a request body (empty: `{}`); throws the 400 `E0000003` answer. */
export async function readJson(request: Request): Promise<Json> {
  const text = await request.text()
  if (text.trim() === '') return {}
  try {
    const value: unknown = JSON.parse(text)
    if (isObject(value)) return value
  } catch {
    // Reported below.
  }
  throw apiError(400, 'E0000003', 'The request body was not well-formed.')
}

/** @internal Whether a value is a list of strings. */
export function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

/** @internal A body's optional `status` (`ACTIVE` or `INACTIVE`), recording a problem otherwise. */
export function readStatus(p: Problems, value: unknown): Status | undefined {
  if (value === undefined || value === 'ACTIVE' || value === 'INACTIVE') return value
  p.add('status', "The status must be 'ACTIVE' or 'INACTIVE'.")
  return undefined
}

/** @internal A body's optional `priority` (an integer ≥ 1), recording a problem otherwise. */
export function readPriority(p: Problems, value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
  p.add('priority', 'The priority must be an integer of at least 1.')
  return undefined
}

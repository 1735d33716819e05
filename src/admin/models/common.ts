import * as z from 'zod'
import type { Expect, Same } from './agreement.js'

// What every model shares. Responses: every object is a `looseObject`, so
// fields the API adds later are kept, not dropped (the interfaces say so with
// an index signature). Enums the API may extend are typed as the known values
// plus `string`. Requests are exact (`strictObject`: a key the model does not
// name, a typo such as `descripton`, is refused, never sent and silently
// ignored) and validated before sending, with the limits of Okta's current
// API (Admin Management API 5.1.0). Each resource has one file holding its
// response model, its schema, its request body and that body's schema,
// checked against each other at compile time (`agreement.ts`).

/** Hints of a {@link Link}. */
export interface LinkHints {
  /** The HTTP methods the linked resource allows, e.g. `GET`, `PUT`, `DELETE`. */
  allow?: string[]
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** A link to a related resource (an entry of `_links`). */
export interface Link {
  /** The URL of the related resource. */
  href: string
  /** The link's name, for links in a list (e.g. `openid-configuration` in `metadata`). */
  name?: string
  /** What the resource allows. */
  hints?: LinkHints
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** `_links`: discoverable resources related to an object, by relation (some relations are lists). */
export interface Links {
  /** A link, or a list of links, by relation name (`self`, `scopes`, `deactivate`, `metadata`, …). */
  [rel: string]: Link | Link[]
}

/** Include and exclude lists of a condition (clients, users, groups). */
export interface IncludeExclude {
  /** What the condition includes, e.g. `ALL_CLIENTS` or `EVERYONE`. */
  include?: string[]
  /** What the condition excludes. */
  exclude?: string[]
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** @internal An enum the API may extend: the known values, or any other string. */
export const known = <T extends string>(...values: [T, ...T[]]) =>
  z.union([z.enum(values), z.string()]) as unknown as z.ZodType<T | (string & {})>

/** @internal A timestamp as the API writes it. */
export const timestamp = z.string()

/** @internal `status` of a resource with a lifecycle, as the API returns it. */
export const lifecycleStatus = known('ACTIVE', 'INACTIVE')

/** @internal `status` of a resource with a lifecycle, in a request body. */
export const lifecycleStatusInput = z.enum(['ACTIVE', 'INACTIVE'])

/** @internal A string that must not be empty (request bodies). */
export const nonEmpty = z.string().min(1, 'must not be empty')

const linkHints = z.looseObject({ allow: z.optional(z.array(z.string())) })

const link = z.looseObject({
  href: z.string(),
  name: z.optional(z.string()),
  hints: z.optional(linkHints),
})

const linksRecord = z.record(z.string(), z.union([link, z.array(link)]))
/** @internal `_links` of a response: optional. */
export const links = z.optional(linksRecord)

/** @internal Include and exclude lists of a condition. */
export const includeExclude = z.looseObject({
  include: z.optional(z.array(z.string())),
  exclude: z.optional(z.array(z.string())),
})

/** Include and exclude lists of a condition, in a request body. */
export interface IncludeExcludeInput {
  /** What the condition includes, e.g. `ALL_CLIENTS` or `EVERYONE`. */
  include?: string[]
  /** What the condition excludes. */
  exclude?: string[]
}

/** @internal Include and exclude lists of a condition, in a request body (exact). */
export const includeExcludeInput = z.strictObject({
  include: z.optional(z.array(z.string())),
  exclude: z.optional(z.array(z.string())),
})

/** Schema of a link (an entry of `_links`). */
export const LinkSchema: z.ZodType<Link> = link
/** Schema of `_links`. */
export const LinksSchema: z.ZodType<Links> = linksRecord

/** @internal Compile-time only: every entry must be `true`. */
export type _Agreement = [
  Expect<Same<z.output<typeof link>, Link>>,
  Expect<Same<z.output<typeof linksRecord>, Links>>,
  Expect<Same<z.output<typeof includeExclude>, IncludeExclude>>,
  Expect<Same<z.output<typeof includeExcludeInput>, IncludeExcludeInput>>,
]

import * as z from 'zod'
import type { Expect, Same } from './agreement.js'
import { nonEmpty } from './common.js'

// Associated (trusted) authorization servers: the body that creates the
// trust (`AssociatedServerMediated`). The API answers with the servers
// themselves (see `authorization-server.ts`).

/**
 * Body of create associated servers: the servers to trust
 * (`AssociatedServerMediated`).
 * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/#tag/AuthorizationServer/operation/createAssociatedServers | AssociatedServerMediated}
 * @example
 * ```ts
 * import type { AssociatedServersInput } from 'okta-oauth-kit/admin'
 * const body: AssociatedServersInput = { trusted: ['aus6xt9jKPmCyn6kg0g4'] }
 * console.log(body.trusted.length)
 * ```
 */
export interface AssociatedServersInput {
  /** The ids of the authorization servers to trust, e.g. `['aus6xt9jKPmCyn6kg0g4']`. */
  trusted: string[]
}

const associatedServersInput = z.strictObject({
  trusted: z.array(nonEmpty).min(1, 'name at least one authorization server to trust'),
})

/**
 * Schema of the body of create associated servers (exact: an unknown key is refused).
 * @example
 * ```ts
 * import { AssociatedServersInputSchema } from 'okta-oauth-kit/admin'
 * console.log(AssociatedServersInputSchema.safeParse({ trusted: 'aus6xt9jKPmCyn6kg0g4' }).success) // false: a list
 * ```
 */
export const AssociatedServersInputSchema: z.ZodType<AssociatedServersInput> =
  associatedServersInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof associatedServersInput>, AssociatedServersInput>>,
  Expect<Same<z.input<typeof associatedServersInput>, AssociatedServersInput>>,
]

import * as z from 'zod'
import { MIN_RSA_BITS, rsaModulusBits } from '../../lib/algorithms.js'
import type { Expect, Same } from './agreement.js'
import { known, type Links, links, nonEmpty, timestamp } from './common.js'

// Resource-server credential keys of an authorization server: the public
// keys (RSA, `use: enc`) it encrypts the tokens it mints with. The model the
// API returns (`OAuth2ResourceServerJsonWebKey`), and the body that adds one.

/**
 * A public key of an authorization server's resource-server credentials
 * (token encryption), as {@link ResourceServerKeys} reads it.
 * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/OAuth2ResourceServerCredentialsKeys/ | OAuth2ResourceServerJsonWebKey}
 * @example
 * ```ts
 * import type { AdminClient, ResourceServerKey } from 'okta-oauth-kit/admin'
 * declare const admin: AdminClient
 * const keys: ResourceServerKey[] = await admin.resourceServerKeys.list('aus5m9r1o4AsDJLe50g4').all()
 * console.log(keys.find((k) => k.status === 'ACTIVE')?.kid)
 * ```
 */
export interface ResourceServerKey {
  /** The unique ID of the key, e.g. `apk2f4zrZbs8nUa7p0g4`: the `keyId` of the other operations. */
  id: string
  /** Identifier of the key in the server's public JWKS (`null` when added without one). */
  kid?: string | null
  /** `ACTIVE` (tokens are encrypted with it; one at a time) or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE' | (string & {})
  /** Key type: `RSA`. */
  kty?: string
  /** Algorithm, as the spec's examples show it (`RS256`); not in its schema. */
  alg?: string
  /** Acceptable use of the key: `enc`. */
  use?: string
  /** RSA exponent (base64url). */
  e?: string
  /** RSA modulus (base64url). */
  n?: string
  /** Timestamp when the key was created. */
  created?: string
  /** Timestamp when the key was last updated. */
  lastUpdated?: string
  /** `self`, and `activate` / `delete` for an inactive key. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const resourceServerKey = z.looseObject({
  id: z.string(),
  kid: z.optional(z.nullable(z.string())),
  status: z.optional(known('ACTIVE', 'INACTIVE')),
  kty: z.optional(z.string()),
  alg: z.optional(z.string()),
  use: z.optional(z.string()),
  e: z.optional(z.string()),
  n: z.optional(z.string()),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  _links: links,
})

/**
 * Schema of a resource-server credential key (`OAuth2ResourceServerJsonWebKey`); unknown fields are kept.
 * @example
 * ```ts
 * import { ResourceServerKeySchema } from 'okta-oauth-kit/admin'
 * const key = ResourceServerKeySchema.parse({ id: 'apk2f4zrZbs8nUa7p0g4', status: 'INACTIVE' })
 * console.log(key.status)
 * ```
 */
export const ResourceServerKeySchema: z.ZodType<ResourceServerKey> = resourceServerKey

/**
 * Body of add resource-server key: a public RSA key for encryption.
 * @see {@link https://developer.okta.com/docs/api/openapi/okta-management/management/tag/OAuth2ResourceServerCredentialsKeys/#tag/OAuth2ResourceServerCredentialsKeys/operation/addOAuth2ResourceServerJsonWebKey | OAuth2ResourceServerJsonWebKeyRequestBody}
 * @example
 * ```ts
 * import type { ResourceServerKeyInput } from 'okta-oauth-kit/admin'
 * declare const publicJwk: { e: string; n: string }
 * const body: ResourceServerKeyInput = { kty: 'RSA', use: 'enc', kid: 'enc-1', e: publicJwk.e, n: publicJwk.n }
 * console.log(body.kid)
 * ```
 */
export interface ResourceServerKeyInput {
  /** Key type: Okta supports only `RSA`. */
  kty: 'RSA'
  /** RSA exponent (base64url), e.g. `AQAB`. */
  e: string
  /** RSA modulus (base64url), at least 2,048 bits. */
  n: string
  /** Identifier of the key in the server's public JWKS, unique among its keys. */
  kid?: string | null
  /** Acceptable use of the key: only `enc`. */
  use?: 'enc'
  /** A key is added `INACTIVE`, then activated (`ACTIVE` is refused). */
  status?: 'INACTIVE'
}

const BASE64URL = /^[A-Za-z0-9_-]+$/
const base64url = nonEmpty.regex(BASE64URL, 'must be base64url (without padding)')

const resourceServerKeyInput = z.strictObject({
  kty: z.literal('RSA'),
  e: base64url,
  // One issue per problem: the length is checked only on base64url.
  n: base64url.refine((n) => !BASE64URL.test(n) || rsaModulusBits(n) >= MIN_RSA_BITS, {
    message: `an RSA modulus of at least ${MIN_RSA_BITS} bits is required`,
  }),
  kid: z.optional(z.nullable(nonEmpty)),
  use: z.optional(z.literal('enc')),
  status: z.optional(
    z.literal('INACTIVE', { error: 'a key is added INACTIVE, then activated with activate()' }),
  ),
})

/**
 * Schema of the body of add resource-server key (exact: an unknown key is
 * refused; RSA, base64url, a modulus of at least 2,048 bits, never `ACTIVE`).
 * @example
 * ```ts
 * import { ResourceServerKeyInputSchema } from 'okta-oauth-kit/admin'
 * const checked = ResourceServerKeyInputSchema.safeParse({ kty: 'RSA', e: 'AQAB', n: 'AQAB', alg: 'RSA-OAEP' })
 * console.log(checked.success) // false: a short modulus, and alg is not a field of the body
 * ```
 */
export const ResourceServerKeyInputSchema: z.ZodType<ResourceServerKeyInput> =
  resourceServerKeyInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof resourceServerKey>, ResourceServerKey>>,
  Expect<Same<z.output<typeof resourceServerKeyInput>, ResourceServerKeyInput>>,
  Expect<Same<z.input<typeof resourceServerKeyInput>, ResourceServerKeyInput>>,
]

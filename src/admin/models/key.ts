import * as z from 'zod'
import type { Expect, Same } from './agreement.js'
import { known, type Links, links } from './common.js'

// Signing keys of an authorization server: the model the API returns, and the
// body of key rotation.

/** A signing key of an authorization server (a JSON Web Key), with its rotation status. */
export interface AuthorizationServerKey {
  /** Unique identifier for the certificate. */
  kid: string
  /** `ACTIVE` (signs tokens), `NEXT` (used after the next rotation) or `EXPIRED` (used before the last one). */
  status: 'ACTIVE' | 'NEXT' | 'EXPIRED' | (string & {})
  /** The algorithm used with the key: `RS256`. */
  alg?: string
  /** Cryptographic algorithm family for the certificate's key pair: `RSA`. */
  kty?: string
  /** How the key is used: `sig`. */
  use?: string
  /** RSA key value (exponent). */
  e?: string
  /** RSA key value (modulus). */
  n?: string
  /** List of discoverable resources related to the key. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const key = z.looseObject({
  kid: z.string(),
  status: known('ACTIVE', 'NEXT', 'EXPIRED'),
  alg: z.optional(z.string()),
  kty: z.optional(z.string()),
  use: z.optional(z.string()),
  e: z.optional(z.string()),
  n: z.optional(z.string()),
  _links: links,
})

/** Schema of an authorization server signing Key object. */
export const KeySchema: z.ZodType<AuthorizationServerKey> = key

/** Body of key rotation. */
export interface KeyRotationInput {
  /** Acceptable usage of the certificate. Can be only `sig`. */
  use?: 'sig'
}

const keyRotationInput = z.strictObject({ use: z.optional(z.literal('sig')) })

/** Schema of the body of key rotation: `use` can only be `sig`. */
export const KeyRotationInputSchema: z.ZodType<KeyRotationInput> = keyRotationInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof key>, AuthorizationServerKey>>,
  Expect<Same<z.output<typeof keyRotationInput>, KeyRotationInput>>,
  Expect<Same<z.input<typeof keyRotationInput>, KeyRotationInput>>,
]

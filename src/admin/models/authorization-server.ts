import * as z from 'zod'
import type { Expect, Same } from './agreement.js'
import {
  known,
  type Links,
  lifecycleStatus,
  lifecycleStatusInput,
  links,
  nonEmpty,
  timestamp,
} from './common.js'

// Authorization servers: the model the API returns, and the body of
// create/update.

/** The signing credentials of an authorization server (`credentials.signing`). */
export interface SigningCredentials {
  /** The key rotation mode for the authorization server. Can be `AUTO` or `MANUAL`. */
  rotationMode?: 'AUTO' | 'MANUAL' | (string & {})
  /** The timestamp when the authorization server started to use the `kid` for signing tokens. */
  lastRotated?: string
  /** The timestamp when the authorization server will change the key for signing tokens. Only returned when `rotationMode` is `AUTO`. */
  nextRotation?: string
  /** The ID of the key used for signing tokens issued by the authorization server. */
  kid?: string
  /** How the key is used: `sig`. */
  use?: string
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** The credentials of an authorization server. */
export interface AuthorizationServerCredentials {
  /** Keys used to sign tokens. */
  signing?: SigningCredentials
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** A key of an authorization server's `jwks`: a public RSA key Okta encrypts access tokens with. */
export interface TokenEncryptionKey {
  /** The key's id in the set. */
  kid?: string
  /** The key type: `RSA`. */
  kty?: 'RSA' | (string & {})
  /** How the key is used: `enc`. */
  use?: 'enc' | (string & {})
  /** RSA key value (exponent). */
  e?: string
  /** RSA key value (modulus). */
  n?: string
  /** `ACTIVE` (used to encrypt) or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE' | (string & {})
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** An authorization server's `jwks`: the keys Okta encrypts its access tokens with. */
export interface TokenEncryptionKeySet {
  /** The keys. */
  keys?: TokenEncryptionKey[]
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

/** An authorization server, as the API returns it. */
export interface AuthorizationServer {
  /** ID of the authorization server, e.g. `ausain6z9zIedDCxB0h7`. */
  id: string
  /** The name of the authorization server. */
  name: string
  /** The description of the authorization server. */
  description?: string
  /** The recipients that the tokens are intended for; becomes the `aud` claim of access tokens (older reference pages show a single string). */
  audiences: string[] | string
  /** The complete URL of the authorization server; becomes the `iss` claim of access tokens. */
  issuer?: string
  /** Which URL the issuer is: `ORG_URL` (the Okta domain), `CUSTOM_URL` (the custom domain) or `DYNAMIC` (the domain the request was sent to). */
  issuerMode?: 'ORG_URL' | 'CUSTOM_URL' | 'DYNAMIC' | (string & {})
  /** Whether the authorization server is `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE' | (string & {})
  /** Timestamp when the authorization server was created. */
  created?: string
  /** Timestamp when the authorization server was last updated. */
  lastUpdated?: string
  /** Keys used to sign tokens. */
  credentials?: AuthorizationServerCredentials
  /** The algorithm access tokens are encrypted with (`RSA-OAEP-256`, `-384`, `-512`); absent: not encrypted. */
  accessTokenEncryptedResponseAlgorithm?:
    | 'RSA-OAEP-256'
    | 'RSA-OAEP-384'
    | 'RSA-OAEP-512'
    | (string & {})
  /** The keys access tokens are encrypted with. */
  jwks?: TokenEncryptionKeySet
  /** The URL of the key set access tokens are encrypted with. */
  jwks_uri?: string
  /** List of discoverable resources related to the authorization server. */
  _links?: Links
  /** Fields the API adds later are kept. */
  [key: string]: unknown
}

const signingCredentials = z.looseObject({
  rotationMode: z.optional(known('AUTO', 'MANUAL')),
  lastRotated: z.optional(timestamp),
  nextRotation: z.optional(timestamp),
  kid: z.optional(z.string()),
  use: z.optional(z.string()),
})

const tokenEncryptionKey = z.looseObject({
  kid: z.optional(z.string()),
  kty: z.optional(known('RSA')),
  use: z.optional(known('enc')),
  e: z.optional(z.string()),
  n: z.optional(z.string()),
  status: z.optional(lifecycleStatus),
})

const tokenEncryptionKeySet = z.looseObject({ keys: z.optional(z.array(tokenEncryptionKey)) })

const ENCRYPTION_ALGORITHMS = ['RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512'] as const

const authorizationServer = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  // Older reference pages show a single string; the API sends an array.
  audiences: z.union([z.array(z.string()), z.string()]),
  issuer: z.optional(z.string()),
  issuerMode: z.optional(known('ORG_URL', 'CUSTOM_URL', 'DYNAMIC')),
  status: z.optional(lifecycleStatus),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  credentials: z.optional(z.looseObject({ signing: z.optional(signingCredentials) })),
  accessTokenEncryptedResponseAlgorithm: z.optional(known(...ENCRYPTION_ALGORITHMS)),
  jwks: z.optional(tokenEncryptionKeySet),
  jwks_uri: z.optional(z.string()),
  _links: links,
})

/** Schema of the signing credentials of an authorization server. */
export const SigningCredentialsSchema: z.ZodType<SigningCredentials> = signingCredentials
/** Schema of a key of an authorization server's `jwks` (token encryption). */
export const TokenEncryptionKeySchema: z.ZodType<TokenEncryptionKey> = tokenEncryptionKey
/** Schema of an Authorization Server object. */
export const AuthorizationServerSchema: z.ZodType<AuthorizationServer> = authorizationServer

/** `credentials.signing` of create/update authorization server. */
export interface SigningCredentialsInput {
  /** The key rotation mode for the authorization server: `AUTO` or `MANUAL` (switching does not change the active key). */
  rotationMode?: 'AUTO' | 'MANUAL'
  /** How the key is used: only `sig`. */
  use?: 'sig'
}

/** `credentials` of create/update authorization server. */
export interface AuthorizationServerCredentialsInput {
  /** The credentials signing object with the `rotationMode` of the authorization server. */
  signing?: SigningCredentialsInput
}

/** A key of `jwks` in create/update authorization server: a public RSA key (`use: 'enc'`). */
export interface TokenEncryptionKeyInput {
  /** The key type: only `RSA`. */
  kty: 'RSA'
  /** RSA key value (exponent), base64url. */
  e: string
  /** RSA key value (modulus), base64url. */
  n: string
  /** The key's id in the set. */
  kid?: string
  /** How the key is used: only `enc`. */
  use?: 'enc'
  /** `ACTIVE` (used to encrypt; one at most) or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE'
  /** The key's Okta id, as the API returns it (`apk…`). */
  id?: string
}

/** `jwks` of create/update authorization server. */
export interface TokenEncryptionKeySetInput {
  /** The keys. */
  keys: TokenEncryptionKeyInput[]
}

/** Body of create/update authorization server. Exact: any other key is refused. */
export interface AuthorizationServerInput {
  /** The name of the authorization server. */
  name: string
  /** The description of the authorization server. */
  description?: string
  /** The recipients the tokens are intended for (Okta supports one); an audience containing `:` must be a valid URI. */
  audiences: string[]
  /** The credentials signing object with the `rotationMode` of the authorization server. */
  credentials?: AuthorizationServerCredentialsInput
  /** Which URL the issuer is: `ORG_URL`, `CUSTOM_URL` (needs a custom domain) or `DYNAMIC`. */
  issuerMode?: 'ORG_URL' | 'CUSTOM_URL' | 'DYNAMIC'
  /** The server's issuer URL, as the API returns it (Okta derives it from `issuerMode`). */
  issuer?: string
  /** `ACTIVE` or `INACTIVE` (the lifecycle operations change it). */
  status?: 'ACTIVE' | 'INACTIVE'
  /** Encrypt access tokens with this algorithm, with a key of `jwks` or `jwks_uri`. */
  accessTokenEncryptedResponseAlgorithm?: 'RSA-OAEP-256' | 'RSA-OAEP-384' | 'RSA-OAEP-512'
  /** The keys to encrypt access tokens with. */
  jwks?: TokenEncryptionKeySetInput
  /** The https URL of the key set to encrypt access tokens with. */
  jwks_uri?: string
}

/**
 * RFC 3986 URI syntax: a scheme, then only URI characters, `%` only as
 * `%XX`. (WHATWG URL parsing alone also takes spaces, `|` or `%zz`.)
 */
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/

/** An audience: any string, but one containing `:` must be a URI. */
const audience = nonEmpty.refine((a) => !a.includes(':') || (URI.test(a) && URL.canParse(a)), {
  message: 'an audience containing ":" must be a valid URI',
})

const tokenEncryptionKeyInput = z.strictObject({
  kty: z.literal('RSA'),
  e: nonEmpty,
  n: nonEmpty,
  kid: z.optional(nonEmpty),
  use: z.optional(z.literal('enc')),
  status: z.optional(lifecycleStatusInput),
  id: z.optional(z.string()),
})

const authorizationServerInput = z.strictObject({
  name: nonEmpty,
  description: z.optional(z.string()),
  // "Okta currently supports only one audience."
  audiences: z
    .array(audience)
    .min(1, 'at least one audience is required')
    .max(1, 'Okta supports one audience per authorization server'),
  credentials: z.optional(
    z.strictObject({
      signing: z.optional(
        z.strictObject({
          rotationMode: z.optional(z.enum(['AUTO', 'MANUAL'])),
          use: z.optional(z.literal('sig')),
        }),
      ),
    }),
  ),
  issuerMode: z.optional(z.enum(['ORG_URL', 'CUSTOM_URL', 'DYNAMIC'])),
  issuer: z.optional(z.string()),
  status: z.optional(lifecycleStatusInput),
  accessTokenEncryptedResponseAlgorithm: z.optional(z.enum(ENCRYPTION_ALGORITHMS)),
  jwks: z.optional(
    z.strictObject({
      keys: z
        .array(tokenEncryptionKeyInput)
        .refine((keys) => keys.filter((k) => k.status === 'ACTIVE').length <= 1, {
          message: 'at most one key may be ACTIVE',
        }),
    }),
  ),
  jwks_uri: z.optional(
    z.url().refine((u) => u.startsWith('https://'), { message: 'must be an https URL' }),
  ),
})

/** Schema of the body of create/update authorization server. */
export const AuthorizationServerInputSchema: z.ZodType<AuthorizationServerInput> =
  authorizationServerInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof signingCredentials>, SigningCredentials>>,
  Expect<Same<z.output<typeof tokenEncryptionKey>, TokenEncryptionKey>>,
  Expect<Same<z.output<typeof tokenEncryptionKeySet>, TokenEncryptionKeySet>>,
  Expect<Same<z.output<typeof tokenEncryptionKeyInput>, TokenEncryptionKeyInput>>,
  Expect<Same<z.output<typeof authorizationServer>, AuthorizationServer>>,
  Expect<Same<z.output<typeof authorizationServerInput>, AuthorizationServerInput>>,
  Expect<Same<z.input<typeof authorizationServerInput>, AuthorizationServerInput>>,
]

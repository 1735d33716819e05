import { z } from 'zod'
import type { Expect, Same } from './agreement.js'
import { known, type Links, lifecycleStatus, links, nonEmpty, timestamp } from './common.js'

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

/** An authorization server, as the API returns it. */
export interface AuthorizationServer {
  /** ID of the authorization server, e.g. `ausain6z9zIedDCxB0h7`. */
  id: string
  /** The name of the authorization server. */
  name: string
  /** The description of the authorization server. */
  description?: string
  /** The recipients that the tokens are intended for; becomes the `aud` claim of access tokens (the reference's example shows a single string). */
  audiences: string[] | string
  /** The complete URL of the authorization server; becomes the `iss` claim of access tokens. */
  issuer?: string
  /** How the issuer URL is formed: `ORG_URL` or `CUSTOM_URL`. */
  issuerMode?: string
  /** Whether the authorization server is `ACTIVE` or `INACTIVE`. */
  status?: 'ACTIVE' | 'INACTIVE' | (string & {})
  /** Timestamp when the authorization server was created. */
  created?: string
  /** Timestamp when the authorization server was last updated. */
  lastUpdated?: string
  /** Keys used to sign tokens. */
  credentials?: AuthorizationServerCredentials
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

const authorizationServer = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  // The reference's example has a single string; the API sends an array.
  audiences: z.union([z.array(z.string()), z.string()]),
  issuer: z.optional(z.string()),
  issuerMode: z.optional(z.string()),
  status: z.optional(lifecycleStatus),
  created: z.optional(timestamp),
  lastUpdated: z.optional(timestamp),
  credentials: z.optional(z.looseObject({ signing: z.optional(signingCredentials) })),
  _links: links,
})

/** Schema of the signing credentials of an authorization server. */
export const SigningCredentialsSchema: z.ZodType<SigningCredentials> = signingCredentials
/** Schema of an Authorization Server object. */
export const AuthorizationServerSchema: z.ZodType<AuthorizationServer> = authorizationServer

/** `credentials.signing` of create/update authorization server. */
export interface SigningCredentialsInput {
  /** The key rotation mode for the authorization server: `AUTO` or `MANUAL` (switching does not change the active key). */
  rotationMode?: 'AUTO' | 'MANUAL'
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** `credentials` of create/update authorization server. */
export interface AuthorizationServerCredentialsInput {
  /** The credentials signing object with the `rotationMode` of the authorization server. */
  signing?: SigningCredentialsInput
  /** Other fields are sent as given. */
  [key: string]: unknown
}

/** Body of create/update authorization server. */
export interface AuthorizationServerInput {
  /** The name of the authorization server. */
  name: string
  /** The description of the authorization server. */
  description?: string
  /** The recipients the tokens are intended for (Okta supports one); an audience containing `:` must be a valid URI. */
  audiences: string[]
  /** The credentials signing object with the `rotationMode` of the authorization server. */
  credentials?: AuthorizationServerCredentialsInput
  /** Other fields are sent as given. */
  [key: string]: unknown
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

const authorizationServerInput = z.looseObject({
  name: nonEmpty,
  description: z.optional(z.string()),
  // "The list of audiences this Authorization Server can issue tokens to,
  // currently Okta only supports one audience."
  audiences: z
    .array(audience)
    .min(1, 'at least one audience is required')
    .max(1, 'Okta supports one audience per authorization server'),
  credentials: z.optional(
    z.looseObject({
      signing: z.optional(z.looseObject({ rotationMode: z.optional(z.enum(['AUTO', 'MANUAL'])) })),
    }),
  ),
})

/** Schema of the body of create/update authorization server. */
export const AuthorizationServerInputSchema: z.ZodType<AuthorizationServerInput> =
  authorizationServerInput

/** @internal Compile-time only: every entry must be `true` (see `agreement.ts`). */
export type _Agreement = [
  Expect<Same<z.output<typeof signingCredentials>, SigningCredentials>>,
  Expect<Same<z.output<typeof authorizationServer>, AuthorizationServer>>,
  Expect<Same<z.output<typeof authorizationServerInput>, AuthorizationServerInput>>,
  Expect<Same<z.input<typeof authorizationServerInput>, AuthorizationServerInput>>,
]

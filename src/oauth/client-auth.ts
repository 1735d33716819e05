import * as oauth from 'oauth4webapi'
import { InvalidOptionError } from '../errors.js'
import { algOfCurve } from '../lib/algorithms.js'
import { lazy } from '../lib/lazy.js'
import type { JWK } from '../lib/wire-types.js'

// jose signs HS384/HS512 assertions and imports private keys: loaded when a
// client with those methods first needs it, not when an entry is imported.
const loadSign = lazy(() => import('jose/jwt/sign'))
const loadKeyImport = lazy(() => import('jose/key/import'))

/** Client authentication methods the servers list in `token_endpoint_auth_methods_supported`. */
export type ClientAuthMethod =
  | 'none'
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt'

/** A public client (SPA, native): only `client_id` is sent. Use PKCE. */
export interface NoneAuth {
  /** `none`. */
  method: 'none'
}

/** `Authorization: Basic base64(client_id:client_secret)` (each part form-encoded first, RFC 6749 §2.3.1). */
export interface ClientSecretBasicAuth {
  /** `client_secret_basic`. */
  method: 'client_secret_basic'
  /** The client secret. */
  clientSecret: string
}

/** `client_id` and `client_secret` in the form body. */
export interface ClientSecretPostAuth {
  /** `client_secret_post`. */
  method: 'client_secret_post'
  /** The client secret. */
  clientSecret: string
}

/** A JWT assertion signed with the client secret; `aud` is the endpoint's URL. */
export interface ClientSecretJwtAuth {
  /** `client_secret_jwt`. */
  method: 'client_secret_jwt'
  /** The client secret, the HMAC key. */
  clientSecret: string
  /** The HMAC algorithm. Default: `HS256`. */
  algorithm?: 'HS256' | 'HS384' | 'HS512'
}

/** A JWT assertion signed with the client's private key; `aud` is the endpoint's URL. */
export interface PrivateKeyJwtAuth {
  /** `private_key_jwt`. */
  method: 'private_key_jwt'
  /** The private key: a JWK (with `d`), a PKCS#8 PEM string, or a private `CryptoKey`. */
  key: JWK | string | CryptoKey
  /** The key id put in the assertion header. Default: the JWK's `kid`. */
  kid?: string
  /**
   * The signing algorithm. Default: the JWK's `alg`, else RS256 for RSA,
   * ES256/384/512 for P-256/384/521, EdDSA for Ed25519; RS256 for PEM.
   */
  algorithm?: string
}

/**
 * How the client authenticates at the token, introspection and revocation
 * endpoints. Exactly one method is used per request, as the server requires.
 *
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication | OIDC Core §9}
 */
export type ClientAuth =
  | NoneAuth
  | ClientSecretBasicAuth
  | ClientSecretPostAuth
  | ClientSecretJwtAuth
  | PrivateKeyJwtAuth

/**
 * @internal
 * A factory of oauth4webapi client-authentication functions, one per
 * endpoint: Okta asks that an assertion's `aud` be the URL of the endpoint
 * it authenticates to, which oauth4webapi's own assertion (`aud` = issuer)
 * does not do.
 */
export type ClientAuthFactory = (endpoint: string) => Promise<oauth.ClientAuth>

const ASSERTION_LIFETIME = 60

/** @internal Validate `auth` now and return the per-endpoint factory. */
export function createClientAuth(auth: ClientAuth | undefined): ClientAuthFactory {
  const a = auth ?? { method: 'none' as const }
  switch (a.method) {
    case 'none':
      return async () => oauth.None()
    case 'client_secret_basic':
      requireSecret(a.clientSecret)
      return async () => oauth.ClientSecretBasic(a.clientSecret)
    case 'client_secret_post':
      requireSecret(a.clientSecret)
      return async () => oauth.ClientSecretPost(a.clientSecret)
    case 'client_secret_jwt': {
      requireSecret(a.clientSecret)
      const alg = a.algorithm ?? 'HS256'
      if (!/^HS(256|384|512)$/.test(alg)) {
        throw new InvalidOptionError('client_secret_jwt algorithm must be HS256, HS384 or HS512')
      }
      const secret = new TextEncoder().encode(a.clientSecret)
      // oauth4webapi's ClientSecretJwt signs HS256 only; HS384/512 need jose.
      return async (endpoint) => async (_as, client, body) => {
        const { SignJWT } = await loadSign()
        const now = Math.floor(Date.now() / 1000) + skewOf(client)
        const assertion = await new SignJWT({})
          .setProtectedHeader({ alg, typ: 'JWT' })
          .setIssuer(client.client_id)
          .setSubject(client.client_id)
          .setAudience(endpoint)
          .setIssuedAt(now)
          .setNotBefore(now)
          .setExpirationTime(now + ASSERTION_LIFETIME)
          .setJti(crypto.randomUUID())
          .sign(secret)
        body.set('client_id', client.client_id)
        body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
        body.set('client_assertion', assertion)
      }
    }
    case 'private_key_jwt': {
      const key = importPrivateKey(a)
      // Surface a bad key at first use with a coded error, not as an unhandled rejection now.
      key.catch(() => {})
      return async (endpoint) => {
        const { key: cryptoKey, kid } = await key
        return oauth.PrivateKeyJwt(
          { key: cryptoKey, ...(kid !== undefined && { kid }) },
          {
            [oauth.modifyAssertion]: (_header, payload) => {
              payload.aud = endpoint
            },
          },
        )
      }
    }
    default:
      throw new InvalidOptionError(
        `auth.method must be one of none, client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt`,
      )
  }
}

function skewOf(client: oauth.Client): number {
  const skew = client[oauth.clockSkew]
  return typeof skew === 'number' ? skew : 0
}

function requireSecret(secret: unknown): void {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new InvalidOptionError('auth.clientSecret must be a non-empty string')
  }
}

async function importPrivateKey(a: PrivateKeyJwtAuth): Promise<{
  key: CryptoKey
  kid: string | undefined
}> {
  const { importJWK, importPKCS8 } = await loadKeyImport()
  try {
    if (typeof a.key === 'string') {
      const alg = a.algorithm ?? 'RS256'
      return { key: await importPKCS8(a.key, alg), kid: a.kid }
    }
    if (isCryptoKey(a.key)) {
      if (a.key.type !== 'private') throw new Error('not a private key')
      return { key: a.key, kid: a.kid }
    }
    const jwk = a.key as JWK
    if (typeof jwk.d !== 'string') throw new Error('JWK has no private part')
    const alg = a.algorithm ?? jwk.alg ?? defaultAlg(jwk)
    const key = await importJWK(jwk, alg)
    if (key instanceof Uint8Array) throw new Error('symmetric key')
    return { key: key as CryptoKey, kid: a.kid ?? jwk.kid }
  } catch (cause) {
    throw new InvalidOptionError(
      'auth.key must be a private JWK, a PKCS#8 PEM or a private CryptoKey usable with its algorithm',
      { code: 'ERR_INVALID_OPTION', cause },
    )
  }
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey
}

function defaultAlg(jwk: JWK): string {
  if (jwk.kty === 'RSA') return 'RS256'
  const alg = algOfCurve(jwk.crv)
  if ((jwk.kty === 'EC' && alg?.startsWith('ES')) || (jwk.kty === 'OKP' && alg === 'EdDSA')) {
    return alg
  }
  throw new Error('cannot infer the algorithm of this key; set auth.algorithm')
}

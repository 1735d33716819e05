// The JSON shapes of the protocol (RFC 7517 keys and key sets, RFC 7519
// claims, RFC 7515 headers, RFC 8414 metadata) as this package's own types.
// Public declarations use these, never jose's or oauth4webapi's: both are
// ESM-only, and a CommonJS project (`module: node16`) cannot load a .d.cts
// that imports them (TS1479). They are structurally the same as jose's and
// oauth4webapi's, so values pass between them without casts.

/** A JSON primitive. */
export type JsonPrimitive = string | number | boolean | null
/** A JSON object. */
export type JsonObject = { [key in string]?: JsonValue }
/** A JSON array. */
export type JsonArray = JsonValue[]
/** Any JSON value. */
export type JsonValue = JsonPrimitive | JsonObject | JsonArray

/**
 * A JSON Web Key (RFC 7517): the public or private members of an RSA, EC,
 * OKP or symmetric key. jose's `JWK` is the same shape.
 */
export interface JWK {
  /** Key type: `RSA`, `EC`, `OKP`, `oct`, … */
  kty?: string
  /** The algorithm the key is for, e.g. `RS256`. */
  alg?: string
  /** Permitted operations. */
  key_ops?: string[]
  /** Extractable (Web Crypto). */
  ext?: boolean
  /** Intended use: `sig` or `enc`. */
  use?: string
  /** X.509 certificate chain. */
  x5c?: string[]
  /** X.509 SHA-1 thumbprint. */
  x5t?: string
  /** X.509 SHA-256 thumbprint. */
  'x5t#S256'?: string
  /** X.509 URL. */
  x5u?: string
  /** Key id. */
  kid?: string
  /** Curve (EC, OKP). */
  crv?: string
  /** Private exponent (RSA) or private key (EC, OKP). */
  d?: string
  /** RSA first factor CRT exponent. */
  dp?: string
  /** RSA second factor CRT exponent. */
  dq?: string
  /** RSA public exponent. */
  e?: string
  /** Symmetric key value. */
  k?: string
  /** RSA modulus. */
  n?: string
  /** RSA first prime factor. */
  p?: string
  /** RSA second prime factor. */
  q?: string
  /** RSA first CRT coefficient. */
  qi?: string
  /** EC x coordinate, or OKP public key. */
  x?: string
  /** EC y coordinate. */
  y?: string
  /** AKP public key. */
  pub?: string
  /** AKP private key. */
  priv?: string
  /** RSA other primes. */
  oth?: Array<{
    /** Factor CRT exponent. */
    d?: string
    /** Prime factor. */
    r?: string
    /** Factor CRT coefficient. */
    t?: string
  }>
}

/** A JSON Web Key Set (RFC 7517 §5). */
export interface JSONWebKeySet {
  /** The keys. */
  keys: JWK[]
}

/** JWT claims (RFC 7519 §4): the registered ones, and any other. */
export interface JWTPayload {
  /** Issuer. */
  iss?: string
  /** Subject. */
  sub?: string
  /** Audience. */
  aud?: string | string[]
  /** JWT id. */
  jti?: string
  /** Not before, in seconds since the epoch. */
  nbf?: number
  /** Expiry, in seconds since the epoch. */
  exp?: number
  /** Issued at, in seconds since the epoch. */
  iat?: number
  /** Any other claim. */
  [claim: string]: unknown
}

/** A JWS protected header (RFC 7515 §4). */
export interface JWSHeaderParameters {
  /** Algorithm. */
  alg?: string
  /** Key id. */
  kid?: string
  /** Type, e.g. `JWT` or `at+jwt`. */
  typ?: string
  /** Content type. */
  cty?: string
  /** Critical extensions. */
  crit?: string[]
  /** Payload base64url-encoded (RFC 7797). */
  b64?: boolean
  /** JWK Set URL. */
  jku?: string
  /** An embedded public key. */
  jwk?: Omit<JWK, 'd' | 'dp' | 'dq' | 'k' | 'p' | 'q' | 'qi' | 'priv' | 'oth'>
  /** X.509 URL. */
  x5u?: string
  /** X.509 certificate chain. */
  x5c?: string[]
  /** X.509 SHA-1 thumbprint. */
  x5t?: string
  /** Any other parameter. */
  [parameter: string]: unknown
}

/** A JWS in the flattened JSON serialization, as a key resolver sees it. */
export interface FlattenedJWSInput {
  /** Unprotected header. */
  header?: JWSHeaderParameters
  /** The payload. */
  payload: string | Uint8Array
  /** The protected header, base64url-encoded. */
  protected?: string
  /** The signature, base64url-encoded. */
  signature: string
}

import type { JWTHeaderParameters, KeyObject } from 'jose'
import { encodeBase64url, randomBase64url } from '../../lib/base64url.js'
import type { JWK } from '../../lib/wire-types.js'
import { takeKeyPair } from './key-pool.js'
import type { RsaKeyPair } from './rsa.js'
import type { KeyStatus, ServerState } from './server-state.js'

// The signing keys of an authorization server and their rotation
// (NEXT → ACTIVE → EXPIRED), shared by OktaOrgState.rotateKeys and the
// management API's keyRotate. A key has its `kid` at once and its RSA pair
// on first use (see key-pool.ts), so creating an org or a server, or
// rotating, generates nothing up front.

/** @internal A signing key of one authorization server. */
export class SigningKey {
  /** Random, 43 base64url characters, as Okta's are. */
  readonly kid = randomBase64url(32)
  #pair: Promise<RsaKeyPair> | undefined
  #publicJwk: Promise<JWK> | undefined

  constructor(
    public status: KeyStatus,
    readonly created: number,
  ) {}

  /** The key pair: taken from the pool on the first call, the same one after. */
  pair(): Promise<RsaKeyPair> {
    this.#pair ??= takeKeyPair()
    return this.#pair
  }

  /** The public key as published: with `kid`, `alg: RS256` and `use: sig`. */
  publicJwk(): Promise<JWK> {
    this.#publicJwk ??= this.pair().then(({ publicJwk }) => ({
      ...publicJwk,
      kid: this.kid,
      alg: 'RS256',
      use: 'sig',
    }))
    return this.#publicJwk
  }

  /**
   * A JWT of `claims` signed with this key (compact JWS, one signature).
   * @param claims - The payload.
   * @param header - Header parameters besides `alg` (RS256) and `kid` (this key's).
   */
  async sign(claims: object, header: object = {}): Promise<string> {
    const pair = await this.pair()
    const input = `${json64({ ...header, alg: 'RS256', kid: this.kid })}.${json64(claims)}`
    return `${input}.${await pair.sign(input)}`
  }
}

const utf8 = new TextEncoder()
const json64 = (value: object) => encodeBase64url(utf8.encode(JSON.stringify(value)))

/** @internal A new server's keys: an ACTIVE and a NEXT one. */
export function newServerKeys(created: number): SigningKey[] {
  return [new SigningKey('ACTIVE', created), new SigningKey('NEXT', created)]
}

/** @internal The key that signs a server's tokens. */
export function activeKey(server: ServerState): SigningKey {
  return server.keys.find((k) => k.status === 'ACTIVE')!
}

/**
 * @internal Rotate a server's keys: `NEXT` becomes `ACTIVE`, `ACTIVE` becomes
 * `EXPIRED`, older expired keys are dropped, a new `NEXT` is added.
 * @returns The new active `kid`.
 */
export function rotateServerKeys(server: ServerState, now: number): string {
  const kept = server.keys.filter((k) => k.status !== 'EXPIRED')
  for (const key of kept) {
    if (key.status === 'ACTIVE') key.status = 'EXPIRED'
    else if (key.status === 'NEXT') key.status = 'ACTIVE'
  }
  // A new list, so what was cached for the old one (the key set) is not reused.
  server.keys = [...kept, new SigningKey('NEXT', now)]
  return activeKey(server).kid
}

/** The JSON of each list of keys' set, made once per list. */
const keySets = new WeakMap<readonly SigningKey[], Promise<string>>()

/** @internal A server's key set (`{ "keys": [...] }`) as JSON: every key, in the list's order. */
export function keySetJson(server: ServerState): Promise<string> {
  const list = server.keys
  let json = keySets.get(list)
  if (!json) {
    json = Promise.all(list.map((k) => k.publicJwk())).then((keys) => JSON.stringify({ keys }))
    keySets.set(list, json)
    // A failed generation is not kept: the next request tries again.
    json.catch(() => keySets.delete(list))
  }
  return json
}

/**
 * @internal What `jwtVerify` needs to check a token signed by one of a
 * server's keys: the public key of the header's `kid` (RS256 only).
 */
export function verificationKeys(
  server: ServerState,
): (header: JWTHeaderParameters) => Promise<CryptoKey | KeyObject> {
  const list = server.keys
  return async (header) => {
    const key = list.find((k) => k.kid === header.kid)
    if (!key || header.alg !== 'RS256') throw new Error('no key of this server signed the token')
    return (await key.pair()).publicKey
  }
}

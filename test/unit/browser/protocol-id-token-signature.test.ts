// ID tokens, the signature: the algorithms allowed from the metadata, the
// signature and its key, and tokens malformed before any key is fetched.
// The claim checks of verifyIdToken are in protocol-id-token-claims.test.ts.
import { base64url, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  type BrowserServerMetadata,
  idTokenAlgorithms,
  verifyIdToken,
} from '../../../src/browser/protocol.js'
import { JwksError, TokenValidationError } from '../../../src/errors.js'
import {
  accept,
  CLIENT_ID,
  fresh,
  ISSUER,
  idToken,
  mint,
  NONCE,
  options,
  rawJws,
  reject,
  SUB,
  segment,
  serveAll,
  serveJwks,
  signers,
  standardClaims,
  useProtocolHarness,
} from './protocol-harness.js'

useProtocolHarness()

describe('idTokenAlgorithms', () => {
  const meta = (algs?: string[]) =>
    ({
      issuer: ISSUER,
      authorization_endpoint: '',
      token_endpoint: '',
      jwks_uri: '',
      ...(algs && { id_token_signing_alg_values_supported: algs }),
    }) as BrowserServerMetadata

  it('keeps the asymmetric algorithms, drops none and HMAC, defaults to RS256', () => {
    expect(idTokenAlgorithms(meta(['RS256', 'HS256', 'none', 'ES384', 'PS512', 'EdDSA']))).toEqual([
      'RS256',
      'ES384',
      'PS512',
      'EdDSA',
    ])
    expect(idTokenAlgorithms(meta(['HS256', 'none']))).toEqual(['RS256'])
    expect(idTokenAlgorithms(meta())).toEqual(['RS256'])
  })
})

describe('verifyIdToken', () => {
  it.each([
    ['RS256', () => signers.rs],
    ['PS256', () => signers.ps],
    ['ES256', () => signers.es],
    ['ES384', () => signers.es384],
    ['EdDSA', () => signers.ed],
  ])('accepts a valid %s token and returns its claims', async (_alg, by) => {
    serveAll()
    fresh()
    const claims = await verifyIdToken(
      await mint({ name: 'Jane' }, { by: by() }),
      options(idToken.jwks),
    )
    expect(claims).toMatchObject({
      iss: ISSUER,
      aud: CLIENT_ID,
      sub: SUB,
      nonce: NONCE,
      name: 'Jane',
    })
  })

  it('rejects a tampered payload with ERR_JWT_SIGNATURE_INVALID', async () => {
    serveAll()
    fresh()
    const [h, , s] = (await mint()).split('.')
    const forged = segment(standardClaims({ sub: 'admin' }))
    const err = await reject(`${h}.${forged}.${s}`)
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({
      code: 'ERR_JWT_SIGNATURE_INVALID',
      token: 'id_token',
      reason: 'signature',
    })
  })

  it('rejects a token signed by another key under the same kid', async () => {
    serveAll()
    fresh()
    const token = await mint({}, { by: { ...signers.rsOther, kid: signers.rs.kid } })
    expect(await reject(token)).toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID' })
  })

  it('rejects an ES256 signature of the wrong length', async () => {
    serveAll()
    fresh()
    const [h, p, s] = (await mint({}, { by: signers.es })).split('.')
    // Prefix a byte: 65 bytes is no raw r||s P-256 signature.
    const bad = base64url.encode(new Uint8Array([0x30, ...base64url.decode(s as string)]))
    expect(await reject(`${h}.${p}.${bad}`)).toMatchObject({ code: 'ERR_JWT_SIGNATURE_INVALID' })
  })

  it('rejects alg none and HS256 with ERR_JWT_ALG_NOT_ALLOWED (algorithms from the metadata)', async () => {
    serveAll()
    fresh()
    const algorithms = idTokenAlgorithms({
      issuer: ISSUER,
      authorization_endpoint: '',
      token_endpoint: '',
      jwks_uri: '',
      id_token_signing_alg_values_supported: ['RS256', 'HS256', 'none'],
    })
    const payload = segment(standardClaims())
    const none = `${segment({ alg: 'none' })}.${payload}.c2ln`
    expect(await reject(none, { algorithms })).toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
      claim: 'alg',
    })
    // HS256 keyed with the public key's bytes: the algorithm-confusion attack.
    const hs = await new SignJWT(standardClaims())
      .setProtectedHeader({ alg: 'HS256', kid: signers.rs.kid })
      .sign(new TextEncoder().encode(JSON.stringify(signers.rs.jwk)))
    expect(await reject(hs, { algorithms })).toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
      claim: 'alg',
    })
    // A header without alg.
    expect(await reject(`${segment({ kid: signers.rs.kid })}.${payload}.c2ln`)).toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
    })
  })

  // The alg check runs before the signature-shape check, so the canonical
  // unsecured JWS gets the same code as in the core validateIdToken (a
  // regression guard; it once came out as ERR_JWT_MALFORMED).
  it('refuses an unsecured JWS (alg none, empty signature) with ERR_JWT_ALG_NOT_ALLOWED', async () => {
    serveAll()
    fresh()
    const none = `${segment({ alg: 'none' })}.${segment(standardClaims())}.`
    expect(await reject(none)).toMatchObject({ code: 'ERR_JWT_ALG_NOT_ALLOWED', claim: 'alg' })
  })

  it('refuses an unsecured JWS (alg none, empty signature) in any case', async () => {
    serveAll()
    fresh()
    const none = `${segment({ alg: 'none' })}.${segment(standardClaims())}.`
    expect(await reject(none)).toBeInstanceOf(TokenValidationError)
  })

  // The browser key lookup ties the curve to the algorithm (RFC 7518 §3.4:
  // ES256 is P-256), as the core does (a regression guard; an ES256 token
  // signed with a P-384 key once verified here).
  it('refuses an ES256 token signed with a P-384 key', async () => {
    serveJwks(() => ({ keys: [{ ...signers.es384.jwk, alg: undefined, kid: 'p384' }] }))
    fresh()
    const token = await rawJws(
      { alg: 'ES256', kid: 'p384' },
      standardClaims(),
      signers.es384.privateKey,
      {
        name: 'ECDSA',
        hash: 'SHA-256',
      } as EcdsaParams,
    )
    expect(await reject(token)).toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' })
  })

  it('rejects an algorithm that is not pinned even when a key would verify it', async () => {
    serveAll()
    fresh()
    expect(await reject(mint({}, { by: signers.ps }), { algorithms: ['RS256'] })).toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
    })
  })

  it.each([
    ['two parts', async () => (await mint()).split('.').slice(0, 2).join('.')],
    ['four parts', async () => `${await mint()}.x`],
    ['an empty string', async () => ''],
    [
      'a non-JSON header',
      async () => `${base64url.encode('{not json')}.${segment(standardClaims())}.c2ln`,
    ],
    ['a JSON array header', async () => `${segment(['RS256'])}.${segment(standardClaims())}.c2ln`],
    [
      'a non-JSON payload',
      async () => `${segment({ alg: 'RS256', kid: 'rs-1' })}.${base64url.encode('nope')}.c2ln`,
    ],
    ['a non-base64 header', async () => `!!!.${segment(standardClaims())}.c2ln`],
    ['a non-base64 payload', async () => `${segment({ alg: 'RS256', kid: 'rs-1' })}.a%b.c2ln`],
    [
      'a non-base64 signature',
      async () => `${segment({ alg: 'RS256', kid: 'rs-1' })}.${segment(standardClaims())}.a+b/c=`,
    ],
    [
      'a payload that is not UTF-8',
      async () =>
        `${segment({ alg: 'RS256', kid: 'rs-1' })}.${base64url.encode(new Uint8Array([0xff, 0xfe]))}.c2ln`,
    ],
  ])('rejects %s with ERR_JWT_MALFORMED before fetching keys', async (_name, token) => {
    const hits = serveAll()
    fresh()
    const err = await reject(token())
    expect(err).toBeInstanceOf(TokenValidationError)
    expect(err).toMatchObject({ code: 'ERR_JWT_MALFORMED', reason: 'malformed' })
    expect(hits.count).toBe(0)
  })

  it('rejects a non-string token with ERR_JWT_MALFORMED', async () => {
    serveAll()
    fresh()
    expect(await reject(Promise.resolve(42 as unknown as string))).toMatchObject({
      code: 'ERR_JWT_MALFORMED',
    })
  })

  it('refuses a crit header even with a valid signature', async () => {
    serveAll()
    fresh()
    const token = await rawJws(
      { alg: 'RS256', kid: signers.rs.kid, crit: ['exp'], exp: 1 },
      standardClaims(),
      signers.rs.privateKey,
      { name: 'RSASSA-PKCS1-v1_5' },
    )
    // The same construction without crit verifies: the refusal is crit's.
    const plain = await rawJws(
      { alg: 'RS256', kid: signers.rs.kid },
      standardClaims(),
      signers.rs.privateKey,
      {
        name: 'RSASSA-PKCS1-v1_5',
      },
    )
    await accept(plain)
    expect(await reject(token)).toMatchObject({ code: 'ERR_JWT_MALFORMED', claim: 'crit' })
  })

  it('refuses an RSA-1024 key with ERR_JWKS_NO_MATCHING_KEY', async () => {
    const weak = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair
    const jwk = {
      ...(await crypto.subtle.exportKey('jwk', weak.publicKey)),
      kid: 'weak',
      alg: 'RS256',
      use: 'sig',
    }
    delete jwk.key_ops
    delete jwk.ext
    serveJwks(() => ({ keys: [jwk] }))
    fresh()
    const token = await rawJws({ alg: 'RS256', kid: 'weak' }, standardClaims(), weak.privateKey, {
      name: 'RSASSA-PKCS1-v1_5',
    })
    const err = await reject(token)
    expect(err).toBeInstanceOf(JwksError)
    expect(err.code).toBe('ERR_JWKS_NO_MATCHING_KEY')
  })
})

// Hostile tokens: JWS headers and ID-token claims wrong in every member,
// and the RS256 signing that jose would refuse for some of them.
import fc from 'fast-check'
import { base64url } from 'jose'
import { marker, mostly } from './arbitraries.js'

/** base64url of a JSON value. */
export function b64json(value: unknown): string {
  return base64url.encode(JSON.stringify(value))
}

/** Sign any header and payload with an RS256 key (jose would refuse some of these headers). */
export async function signRaw(key: CryptoKey, header: unknown, payload: unknown): Promise<string> {
  const input = `${typeof header === 'string' ? header : b64json(header)}.${b64json(payload)}`
  const sig = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new TextEncoder().encode(input))
  return `${input}.${base64url.encode(new Uint8Array(sig))}`
}

/**
 * A JWS header as an ID token might carry it, hostile in every member. A
 * `crit` naming a marked, unknown parameter only comes with `critMarkers`:
 * jose quotes that name in its message, which the core keeps in causes
 * (reported under issue 14, with a property of its own in `jwks.test.ts`).
 */
export function jwsHeader(
  kid: string,
  options: { critMarkers?: boolean } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const hostile = fc
    .record(
      {
        alg: mostly(
          fc.constant('RS256'),
          fc.constantFrom('none', 'HS256', 'ES256', 'RS512', 'PS256', 'EdDSA', 'rs256', ''),
          marker,
        ),
        kid: mostly<unknown>(fc.constant(kid), marker, fc.integer()),
        typ: fc.oneof(fc.constantFrom('JWT', 'at+jwt', 'dpop+jwt'), marker),
        crit: options.critMarkers
          ? marker.map((m) => [m])
          : fc.constantFrom(['exp'], [], ['b64'], 'b64', [1]),
        b64: fc.boolean(),
        jku: marker.map((m) => `https://evil.example/${m}`),
        jwk: marker.map((m) => ({ kty: 'RSA', n: m, e: 'AQAB' })),
        x5u: marker,
        MARKheaderMemberName: marker,
      },
      { requiredKeys: options.critMarkers ? ['crit'] : [] },
    )
    .map((h) => ({ alg: 'RS256', kid, ...h }))
  if (options.critMarkers) return hostile
  return fc.oneof(
    { arbitrary: fc.constant({ alg: 'RS256', kid }), weight: 3 },
    { arbitrary: hostile, weight: 2 },
  )
}

/**
 * ID token claims for `issuer`/`clientId`, with markers and wrong types here
 * and there; `nonce` is used most of the time, so validation goes past it.
 */
export function idTokenClaims(
  issuer: string,
  clientId: string,
  nowS: number,
  nonce: string,
): fc.Arbitrary<Record<string, unknown>> {
  const claim = fc.oneof(marker, fc.jsonValue({ maxDepth: 1 }), fc.integer())
  const time = (around: number) =>
    mostly(
      fc.integer({ min: around - 60, max: around + 10 }),
      fc.constantFrom(0, -1, 1e308, 2 ** 53, 1.5),
      claim,
    )
  const base = fc.record({
    iss: mostly(fc.constant(issuer), claim),
    sub: mostly(marker, claim),
    aud: mostly<unknown>(
      fc.constant(clientId),
      fc.constant([clientId, 'MARKotherAudience00']),
      claim,
    ),
    exp: time(nowS + 3600),
    iat: time(nowS),
    nonce: mostly(fc.constant(nonce), claim),
    email: marker,
  })
  const extra = fc.record(
    {
      azp: mostly(fc.constant(clientId), marker),
      nbf: time(nowS),
      at_hash: marker,
      c_hash: marker,
      name: marker,
      MARKclaimName000000: claim,
    },
    { requiredKeys: [] },
  )
  return fc.tuple(base, mostly(fc.constant({}), extra)).map(([b, e]) => ({ ...b, ...e }))
}

/** How a hostile server spells an ID token (built by {@link buildIdToken}). */
export type IdTokenRecipe =
  | { kind: 'signed'; header: Record<string, unknown>; claims: Record<string, unknown> }
  | { kind: 'unsigned'; claims: Record<string, unknown>; signature: string }
  | { kind: 'truncated'; claims: Record<string, unknown>; at: number }
  | { kind: 'hs256'; claims: Record<string, unknown>; signature: string }
  | { kind: 'raw'; value: string }

/**
 * ID tokens: signed (with the real key) under hostile headers and claims,
 * unsigned (`alg: none`), truncated, HS256 with a made-up MAC, or not a JWT.
 */
export function idTokenRecipe(
  kid: string,
  claims: fc.Arbitrary<Record<string, unknown>>,
  options: { critMarkers?: boolean } = {},
): fc.Arbitrary<IdTokenRecipe> {
  return fc.oneof(
    {
      arbitrary: fc
        .record({ header: jwsHeader(kid, options), claims })
        .map((r): IdTokenRecipe => ({ kind: 'signed', ...r })),
      weight: options.critMarkers ? 100 : 6,
    },
    fc
      .record({ claims, signature: fc.constantFrom('', 'MARKsignatureValue0000') })
      .map((r): IdTokenRecipe => ({ kind: 'unsigned', ...r })),
    fc.record({ claims, at: fc.nat() }).map((r): IdTokenRecipe => ({ kind: 'truncated', ...r })),
    fc.record({ claims, signature: marker }).map((r): IdTokenRecipe => ({ kind: 'hs256', ...r })),
    fc
      .oneof(
        marker,
        marker.map((m) => `${m}.${m}.${m}`),
        marker.map((m) => `${m}.${m}.${m}.${m}.${m}`),
        marker.map((m) => `${b64json({ alg: 'RS256', kid })}.${m}.${m}`),
      )
      .map((value): IdTokenRecipe => ({ kind: 'raw', value })),
  )
}

/**
 * Build the ID token a recipe describes, signing with `key`; `fill` replaces
 * placeholders in claim values (e.g. a nonce known only at run time).
 */
export async function buildIdToken(
  recipe: IdTokenRecipe,
  key: CryptoKey,
  kid: string,
  fill: Record<string, string> = {},
): Promise<string> {
  if (recipe.kind === 'raw') return recipe.value
  let text = JSON.stringify(recipe.claims)
  for (const [slot, value] of Object.entries(fill)) text = text.replaceAll(slot, value)
  const claims = JSON.parse(text) as Record<string, unknown>
  switch (recipe.kind) {
    case 'signed':
      return signRaw(key, recipe.header, claims)
    case 'unsigned':
      return `${b64json({ alg: 'none' })}.${b64json(claims)}.${recipe.signature}`
    case 'hs256':
      return `${b64json({ alg: 'HS256', kid })}.${b64json(claims)}.${recipe.signature}`
    case 'truncated': {
      const token = await signRaw(key, { alg: 'RS256', kid }, claims)
      return token.slice(0, recipe.at % token.length)
    }
  }
}

// Hostile and random callbacks (property-based, fast-check): handleCallback
// only resolves with validated tokens or rejects with an SDK error, and never
// hangs. The fake issuer and client are in authorization-response-harness.ts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isOktaOAuthError, tokenHash } from '../../../src/index.js'
import { USER_SUB } from '../fake-issuer.js'
import {
  flow,
  REDIRECT,
  start,
  useAuthorizationResponseHarness,
} from './authorization-response-harness.js'

useAuthorizationResponseHarness()

describe('hostile and random input (property-based)', () => {
  const tokenish = fc.oneof(
    fc.string(),
    fc.constantFrom('', 'a.b.c', 'eyJhbGciOiJub25lIn0.e30.', '%', '%%', '\u0000'),
  )
  const paramName = fc.constantFrom(
    'code',
    'state',
    'error',
    'error_description',
    'iss',
    'id_token',
    'access_token',
    'token_type',
    'expires_in',
    'scope',
    'x',
  )

  it('only ever resolves with validated tokens or rejects with an SDK error, never hangs', async () => {
    flow.fake.on('/v1/token', () => Response.json({ error: 'invalid_grant' }, { status: 400 }))
    const types = ['code', 'id_token', 'id_token token', 'code id_token'] as const
    const modes = ['query', 'fragment', 'form_post', 'okta_post_message'] as const
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...types),
        fc.constantFrom(...modes),
        fc.array(fc.tuple(paramName, tokenish), { maxLength: 8 }),
        fc.boolean(),
        fc.oneof(
          fc.constant<'url' | 'string' | 'params' | 'object' | 'garbage'>('url'),
          fc.constant<'url' | 'string' | 'params' | 'object' | 'garbage'>('string'),
          fc.constant<'url' | 'string' | 'params' | 'object' | 'garbage'>('params'),
          fc.constant<'url' | 'string' | 'params' | 'object' | 'garbage'>('object'),
          fc.constant<'url' | 'string' | 'params' | 'object' | 'garbage'>('garbage'),
        ),
        async (responseType, responseMode, pairs, withState, shape) => {
          if (responseMode === 'query' && responseType !== 'code') return
          const t = await start({ responseType, responseMode })
          const params = new URLSearchParams(pairs)
          if (withState) params.set('state', t.state)
          const input =
            shape === 'url'
              ? `${REDIRECT}${responseMode === 'fragment' ? '#' : '?'}${params}`
              : shape === 'string'
                ? params.toString()
                : shape === 'params'
                  ? params
                  : shape === 'object'
                    ? { data: Object.fromEntries(params), origin: new URL(flow.fake.issuer).origin }
                    : ((pairs.length % 2 ? 42 : [params.toString()]) as never)
          const outcome = await Promise.race([
            flow.client.handleCallback(input, t).then(
              (r) => ({ ok: r }),
              (e) => ({ err: e }),
            ),
            new Promise<{ hang: true }>((r) => setTimeout(() => r({ hang: true }), 5_000)),
          ])
          expect('hang' in outcome).toBe(false)
          if ('err' in outcome) {
            expect(isOktaOAuthError(outcome.err), String(outcome.err)).toBe(true)
          } else if ('ok' in outcome) {
            // Random input never carries a token our issuer signed: nothing may resolve.
            throw new Error('random input was accepted')
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('mutated genuine responses are refused with SDK errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.string({ minLength: 1, maxLength: 3 }),
        async (seed, junk) => {
          const t = await start({ responseType: 'id_token token' })
          const idToken = await flow.fake.idToken({
            nonce: t.nonce,
            at_hash: await tokenHash('at', 'RS256'),
          })
          const genuine = new URLSearchParams({
            id_token: idToken,
            access_token: 'at',
            token_type: 'Bearer',
            state: t.state,
          }).toString()
          const i = seed % genuine.length
          const mutated = genuine.slice(0, i) + junk + genuine.slice(i + 1)
          if (mutated === genuine) return
          const result = await flow.client.handleCallback(`${REDIRECT}#${mutated}`, t).then(
            (r) => r,
            (e) => e,
          )
          if (result instanceof Error) expect(isOktaOAuthError(result), String(result)).toBe(true)
          else expect(result.idTokenClaims?.sub).toBe(USER_SUB) // a mutation that decodes to the same values
        },
      ),
      { numRuns: 150 },
    )
  })
})

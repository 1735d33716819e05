import { beforeEach, describe, expect, it } from 'vitest'
import {
  type AuthorizationTransaction,
  CallbackError,
  type Client,
  type ResponseMode,
} from '../../../src/index.js'
import { createFakeIssuer, type FakeIssuer, tokenBody } from '../fake-issuer.js'

// Issue 14, weakness 9: the core handleCallback completed a form_post
// transaction from a GET Request's query string, and ignored the mode for
// URLSearchParams and plain objects. What arrives must be what the
// transaction's response mode delivers.

const REDIRECT = 'https://app.example.com/callback'
let fake: FakeIssuer
let client: Client

beforeEach(async () => {
  fake = await createFakeIssuer()
  client = fake.client({ redirectUri: REDIRECT })
})

async function start(responseMode: ResponseMode): Promise<AuthorizationTransaction> {
  const { transaction } = await client.authorizationUrl({ responseMode })
  fake.on('/v1/token', async () =>
    tokenBody({ access_token: 'at', id_token: await fake.idToken({ nonce: transaction.nonce }) }),
  )
  return transaction
}

/** Every shape an authorization response can be handed over in, carrying `params`. */
function shapes(params: Record<string, string>) {
  const q = new URLSearchParams(params).toString()
  return {
    'query URL': `${REDIRECT}?${q}`,
    'query URL object': new URL(`${REDIRECT}?${q}`),
    'fragment URL': `${REDIRECT}#${q}`,
    'GET Request': new Request(`${REDIRECT}?${q}`),
    'POST Request': new Request(REDIRECT, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: q,
    }),
    'urlencoded body': q,
    URLSearchParams: new URLSearchParams(q),
    'postMessage event': { data: { ...params }, origin: 'https://example.okta.com' },
    'bare postMessage payload': { ...params } as unknown as { data: unknown; origin: string },
  } as const
}

type Shape = keyof ReturnType<typeof shapes>

const ACCEPTED: Record<ResponseMode, Shape[]> = {
  query: ['query URL', 'query URL object', 'GET Request'],
  fragment: ['fragment URL'],
  form_post: ['POST Request', 'urlencoded body', 'URLSearchParams'],
  okta_post_message: ['postMessage event'],
}

const MODES = Object.keys(ACCEPTED) as ResponseMode[]
const SHAPES = Object.keys(shapes({})) as Shape[]

describe('the callback input must match the transaction response mode', () => {
  const refused = MODES.flatMap((mode) =>
    SHAPES.filter((shape) => !ACCEPTED[mode].includes(shape)).map(
      (shape) => [mode, shape] as const,
    ),
  )

  it.each(refused)('%s transaction, %s: refused before any token request', async (mode, shape) => {
    const t = await start(mode)
    const input = shapes({ code: 'c', state: t.state, iss: fake.issuer })[shape]
    const err = await client.handleCallback(input, t).catch((e) => e)
    expect(err).toBeInstanceOf(CallbackError)
    // A fragment transaction reads a query URL's empty fragment: no state.
    if (mode === 'fragment' && shape.startsWith('query URL')) {
      expect(err.code).toBe('ERR_STATE_MISMATCH')
    } else if (mode === 'query' && shape === 'fragment URL') {
      expect(err.code).toBe('ERR_STATE_MISMATCH')
    } else if (mode === 'okta_post_message' && shape === 'bare postMessage payload') {
      // Without the event, the message's origin cannot be checked.
      expect(err).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', parameter: 'origin' })
    } else {
      expect(err).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', parameter: 'response_mode' })
    }
    expect(fake.requestsTo('/v1/token')).toHaveLength(0)
    // Nothing was consumed: the real response still completes the transaction.
    const right = shapes({ code: 'c', state: t.state, iss: fake.issuer })[ACCEPTED[mode][0]!]
    await expect(client.handleCallback(right, t)).resolves.toMatchObject({ accessToken: 'at' })
  })

  it.each(MODES.flatMap((mode) => ACCEPTED[mode].map((shape) => [mode, shape] as const)))(
    '%s transaction, %s: accepted',
    async (mode, shape) => {
      const t = await start(mode)
      const input = shapes({ code: 'c', state: t.state, iss: fake.issuer })[shape]
      await expect(client.handleCallback(input, t)).resolves.toMatchObject({ accessToken: 'at' })
      expect(fake.requestsTo('/v1/token')).toHaveLength(1)
    },
  )

  it('the attack as reported: a form_post transaction and a GET carrying the code in its query', async () => {
    const t = await start('form_post')
    const get = new Request(`${REDIRECT}?code=leaked&state=${t.state}&iss=${fake.issuer}`)
    await expect(client.handleCallback(get, t)).rejects.toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
      parameter: 'response_mode',
    })
    expect(fake.requestsTo('/v1/token')).toHaveLength(0)
  })

  it("okta_post_message: the message's origin must be the authorization server's", async () => {
    const t = await start('okta_post_message')
    const data = { code: 'c', state: t.state }
    for (const origin of [
      'https://evil.example',
      'https://example.okta.com.evil.example',
      'null',
    ]) {
      const err = await client.handleCallback({ data, origin }, t).catch((e) => e)
      expect(err).toBeInstanceOf(CallbackError)
      expect(err).toMatchObject({ code: 'ERR_CALLBACK_ISSUER_MISMATCH', parameter: 'origin' })
    }
    expect(fake.requestsTo('/v1/token')).toHaveLength(0)
    // The right origin still completes the untouched transaction.
    await expect(
      client.handleCallback({ data, origin: 'https://example.okta.com' }, t),
    ).resolves.toMatchObject({ accessToken: 'at' })
  })

  it('okta_post_message with code + PKCE is allowed by default; postMessageForCode: false refuses it', async () => {
    const plain = fake.client({ redirectUri: REDIRECT })
    const { transaction } = await plain.authorizationUrl({ responseMode: 'okta_post_message' })
    expect(transaction).toMatchObject({ responseType: 'code', responseMode: 'okta_post_message' })
    expect(transaction.codeVerifier).toEqual(expect.any(String))
    const strict = fake.client({ redirectUri: REDIRECT, postMessageForCode: false })
    await expect(
      strict.authorizationUrl({ responseMode: 'okta_post_message' }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_AUTHORIZATION_REQUEST',
      rule: 'post_message_for_code',
    })
  })

  it('a postMessage member name is not echoed unless it looks like a parameter name', async () => {
    const t = await start('okta_post_message')
    const hostile = 'x'.repeat(30) + '<script>'
    const err = await client
      .handleCallback(
        { data: { state: t.state, [hostile]: 42 }, origin: 'https://example.okta.com' },
        t,
      )
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED' })
    expect(err.message).not.toContain('<script>')
  })
})

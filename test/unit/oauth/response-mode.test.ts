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
  client = fake.client({ redirectUri: REDIRECT, postMessageForCode: true })
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
    'postMessage object': { ...params },
  } as const
}

type Shape = keyof ReturnType<typeof shapes>

const ACCEPTED: Record<ResponseMode, Shape[]> = {
  query: ['query URL', 'query URL object', 'GET Request'],
  fragment: ['fragment URL'],
  form_post: ['POST Request', 'urlencoded body', 'URLSearchParams'],
  okta_post_message: ['postMessage object'],
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

  it('a postMessage member name is not echoed unless it looks like a parameter name', async () => {
    const t = await start('okta_post_message')
    const hostile = 'x'.repeat(30) + '<script>'
    const err = await client
      .handleCallback({ state: t.state, [hostile]: 42 } as never, t)
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED' })
    expect(err.message).not.toContain('<script>')
  })
})

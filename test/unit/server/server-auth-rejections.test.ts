// Callbacks that ServerAuth refuses (method, content type, body size, missing,
// tampered, expired or replayed transactions, state mismatches, error
// responses), and that no error message quotes a secret. The harness is in
// server-auth-harness.ts.
import { describe, expect, it } from 'vitest'
import { CallbackError } from '../../../src/index.js'
import { toHttpResponse } from '../../../src/server/index.js'
import { authorize, formPost } from './helpers.js'
import {
  harness,
  makeAuth,
  messages,
  nodeRequest,
  rejection,
  useServerAuthHarness,
} from './server-auth-harness.js'

useServerAuthHarness()

describe('rejections', () => {
  it('refuses GET and PUT for form_post (405)', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const get = new Request(`${action}?${new URLSearchParams(fields)}`, { headers: { cookie } })
    const err = await rejection(auth.callback(get))
    expect(err).toBeInstanceOf(CallbackError)
    expect(err).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', status: 405 })
    expect(toHttpResponse(err).status).toBe(405)
    const put = await rejection(auth.callback(formPost(action, fields, cookie, { method: 'PUT' })))
    expect(put).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', status: 405 })
    // The transaction was not consumed by the refused requests.
    expect((await auth.callback(formPost(action, fields, cookie))).tokens).toBeDefined()
  })

  it('refuses JSON and multipart bodies (415)', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const json = new Request(action, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(fields),
    })
    expect(await rejection(auth.callback(json))).toMatchObject({
      code: 'ERR_CALLBACK_MALFORMED',
      status: 415,
    })
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.set(k, v)
    const multipart = new Request(action, { method: 'POST', headers: { cookie }, body: form })
    expect(multipart.headers.get('content-type')).toMatch(/^multipart\/form-data/)
    const err = await rejection(auth.callback(multipart))
    expect(err).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', status: 415 })
    expect(toHttpResponse(err).status).toBe(415)
    const none = nodeRequest('code=x', { cookie })
    expect(await rejection(auth.callback(none))).toMatchObject({ status: 415 })
  })

  it('refuses an oversized body (413): declared, streamed without a length, and from Node', async () => {
    const auth = makeAuth({ maxBodyBytes: 1024 })
    const { action, fields, cookie } = await authorize(auth)
    const big = { ...fields, pad: 'x'.repeat(2000) }
    const declared = await rejection(auth.callback(formPost(action, big, cookie)))
    expect(declared).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED', status: 413 })
    expect(toHttpResponse(declared).status).toBe(413)

    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        if (pulled > 100) controller.close()
        else controller.enqueue(new TextEncoder().encode('a'.repeat(512)))
      },
    })
    const chunked = new Request(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(await rejection(auth.callback(chunked))).toMatchObject({ status: 413 })
    expect(pulled).toBeLessThan(10)

    const node = nodeRequest(new URLSearchParams(big).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
    })
    expect(await rejection(auth.callback(node))).toMatchObject({ status: 413 })
    const parsed = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: big,
    }
    expect(await rejection(auth.callback(parsed))).toMatchObject({ status: 413 })
  })

  it('refuses a callback without the transaction cookie', async () => {
    const auth = makeAuth()
    const { action, fields } = await authorize(auth)
    const err = await rejection(auth.callback(formPost(action, fields, 'unrelated=1')))
    expect(err).toMatchObject({ code: 'ERR_TRANSACTION_MISSING' })
    expect(toHttpResponse(err)).toMatchObject({ status: 400 })
  })

  it('refuses a tampered cookie (one character flipped) and a forged one (another secret)', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const [name, value] = cookie.split('=') as [string, string]
    const i = Math.floor(value.length / 2)
    const flipped = value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1)
    const err = await rejection(auth.callback(formPost(action, fields, `${name}=${flipped}`)))
    expect(err).toMatchObject({ code: 'ERR_TRANSACTION_TAMPERED' })
    expect(err.message).not.toContain(flipped)

    const other = makeAuth({ secret: 'another-secret-of-at-least-32-characters!!' })
    const forged = await authorize(other)
    const err2 = await rejection(auth.callback(formPost(action, forged.fields, forged.cookie)))
    expect(err2).toMatchObject({ code: 'ERR_TRANSACTION_TAMPERED' })

    const garbage = await rejection(auth.callback(formPost(action, fields, `${name}=not.a.jwe`)))
    expect(garbage).toMatchObject({ code: 'ERR_TRANSACTION_TAMPERED' })
  })

  it('refuses an expired transaction cookie', async () => {
    const auth = makeAuth({ transactionTtl: 60_000 })
    const { action, fields, cookie, login } = await authorize(auth)
    expect(login.cookies[0]).toContain('Max-Age=60;')
    harness.clock += 61_000
    const err = await rejection(auth.callback(formPost(action, fields, cookie)))
    expect(err).toMatchObject({ code: 'ERR_TRANSACTION_EXPIRED' })
  })

  it('refuses a replayed callback (same cookie twice)', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    await auth.callback(formPost(action, fields, cookie))
    const err = await rejection(auth.callback(formPost(action, fields, cookie)))
    expect(err).toMatchObject({ code: 'ERR_TRANSACTION_REUSED' })
  })

  it('refuses a state that matches no pending sign-in, or no state at all', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const wrong = await rejection(
      auth.callback(formPost(action, { ...fields, state: 'another-state' }, cookie)),
    )
    expect(wrong).toMatchObject({ code: 'ERR_STATE_MISMATCH', parameter: 'state' })
    const { state: _state, ...stateless } = fields
    const none = await rejection(auth.callback(formPost(action, stateless, cookie)))
    expect(none).toMatchObject({ code: 'ERR_STATE_MISMATCH' })
    const twice = new URLSearchParams(fields)
    twice.append('state', fields.state!)
    const dup = await rejection(
      auth.callback(
        new Request(action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: twice,
        }),
      ),
    )
    expect(dup).toMatchObject({ code: 'ERR_CALLBACK_MALFORMED' })
  })

  it('refuses a cookie moved under another state’s name (state mismatch)', async () => {
    const auth = makeAuth()
    const a = await authorize(auth)
    const b = await authorize(auth)
    const swapped = `${b.cookie.split('=')[0]}=${a.cookie.slice(a.cookie.indexOf('=') + 1)}`
    const err = await rejection(auth.callback(formPost(b.action, b.fields, swapped)))
    expect(err).toMatchObject({ code: 'ERR_STATE_MISMATCH' })
  })

  it('maps an error response from the server (access_denied) to 401', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const err = await rejection(
      auth.callback(formPost(action, { state: fields.state!, error: 'access_denied' }, cookie)),
    )
    expect(err).toMatchObject({ code: 'ERR_AUTHORIZATION_RESPONSE', error: 'access_denied' })
    const answer = toHttpResponse(err)
    expect(answer.status).toBe(401)
    expect(await answer.response().text()).toBe('sign-in was not completed (access_denied)')
  })

  // Checks every message rejection() collected in this file, so it stays the last test here.
  it('never puts a cookie, code or token in an error message or HTTP answer', async () => {
    const auth = makeAuth()
    const { action, fields, cookie } = await authorize(auth)
    const outcome = await auth.callback(formPost(action, fields, cookie))
    await rejection(auth.callback(formPost(action, fields, cookie)))
    const secrets = [
      cookie.slice(cookie.indexOf('=') + 1),
      fields.code!,
      outcome.tokens.accessToken,
      outcome.tokens.refreshToken!,
      outcome.cookies[1]!.split(';')[0]!.split('=')[1]!,
    ]
    expect(messages.length).toBeGreaterThan(5)
    for (const message of messages) {
      for (const secret of secrets) expect(message).not.toContain(secret)
      expect(message).not.toMatch(/eyJ/)
    }
    for (const m of messages) expect(toHttpResponse(new Error(m)).message).toBe('internal error')
  })
})

import { inspect } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { CallbackError } from '../../../src/index.js'
import { createServerAuth, type ServerAuth } from '../../../src/server/index.js'
import { HTTP_REDIRECT, SECRET, useOrg, webClient } from './helpers.js'

// Issue 14, found by the property tests: a callback body that fails while it
// is read (a stream error that quotes what it carried) must give a typed
// error whose cause does not repeat that text.

const QUOTED = 'state=STATE-VALUE-QUOTED-BY-THE-STREAM&code=CODE-VALUE-QUOTED'
let auth: ServerAuth

beforeAll(async () => {
  const org = await useOrg()
  auth = createServerAuth(await webClient(org), { secret: SECRET, redirectUri: HTTP_REDIRECT })
})

function failingBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      controller.error(new Error(`connection reset while reading ${QUOTED}`))
    },
  })
}

describe('a callback body that cannot be read', () => {
  it('a Web Request: CallbackError ERR_CALLBACK_MALFORMED, nothing of the stream error quoted', async () => {
    const request = new Request(HTTP_REDIRECT, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: failingBody(),
      duplex: 'half',
    } as RequestInit)
    const err = await auth.callback(request).catch((e) => e)
    expect(err).toBeInstanceOf(CallbackError)
    expect(err.code).toBe('ERR_CALLBACK_MALFORMED')
    const printed = [String(err), JSON.stringify(err), inspect(err, { depth: 10 })].join('\n')
    expect(printed).not.toContain('STATE-VALUE-QUOTED')
    expect(printed).not.toContain('CODE-VALUE-QUOTED')
  })

  it('a Node request whose stream emits an error: the same', async () => {
    const node = {
      method: 'POST',
      url: '/callback',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:3000' },
      on(event: string, fn: (arg?: unknown) => void) {
        if (event === 'error') {
          queueMicrotask(() => fn(new Error(`socket hang up: ${QUOTED}`)))
        }
        return node
      },
      removeListener() {
        return node
      },
    }
    const err = await auth.callback(node as never).catch((e) => e)
    expect(err).toBeInstanceOf(CallbackError)
    expect(err.code).toBe('ERR_CALLBACK_MALFORMED')
    expect(inspect(err, { depth: 10 })).not.toContain('STATE-VALUE-QUOTED')
  })
})

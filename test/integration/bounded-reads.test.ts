import { afterEach, describe, expect, it } from 'vitest'
import {
  clearDiscoveryCache,
  createClient,
  discover,
  InvalidResponseError,
  RESPONSE_LIMITS,
  type ServerMetadata,
} from '../../src/index.js'
import { type StreamStats, startHostileServer, streamBody } from './harness/hostile.js'

// Issue 14, weakness 6: a 200 MB token-endpoint body was buffered (RSS
// +961 MB, the padding in tokens.extra), likewise a 200 MB discovery
// document. Every response is read through a bounded reader: 1 MiB by
// default for protocol responses, `maxResponseBytes` to change it.

const HUGE = 200 * 1024 * 1024
let stop: (() => Promise<void>) | undefined
afterEach(async () => {
  await stop?.()
  stop = undefined
  clearDiscoveryCache()
})

async function hostile(total: number, declare = false) {
  const streams: StreamStats[] = []
  const server = await startHostileServer((_req, res) => {
    streams.push(streamBody(res, total, { declare }))
  })
  stop = server.close
  return { url: server.url, streams }
}

function metadataFor(url: string): ServerMetadata {
  return { issuer: url, token_endpoint: `${url}/token`, userinfo_endpoint: `${url}/userinfo` }
}

describe('bounded reads of protocol responses', () => {
  it('a 200 MB token response: refused at the default 1 MiB, the rest never read', async () => {
    const { url, streams } = await hostile(HUGE)
    const client = createClient(metadataFor(url), { clientId: 'c' })
    const before = process.memoryUsage().rss
    const err = await client.refresh('rt').catch((e) => e)
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', status: 200 })
    await streams[0]!.done
    expect(streams[0]!.cutShort).toBe(true)
    // The client stopped reading: the server could write little beyond the limit
    // (socket buffers), nowhere near the 200 MB it tried to.
    expect(streams[0]!.written).toBeLessThan(RESPONSE_LIMITS.protocol + 16 * 1024 * 1024)
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024)
  })

  it('a declared Content-Length above the limit is refused before reading the body', async () => {
    const { url, streams } = await hostile(HUGE, true)
    const client = createClient(metadataFor(url), { clientId: 'c', maxResponseBytes: 4096 })
    await expect(client.refresh('rt')).rejects.toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    await streams[0]!.done
    expect(streams[0]!.cutShort).toBe(true)
  })

  it('maxResponseBytes sets the limit; a body within it is read as usual', async () => {
    const { url } = await hostile(10 * 1024)
    const small = createClient(metadataFor(url), { clientId: 'c', maxResponseBytes: 8 * 1024 })
    await expect(small.refresh('rt')).rejects.toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    // 10 KiB of padding is within 16 KiB: read, then refused as an unfinished JSON string.
    const roomy = createClient(metadataFor(url), { clientId: 'c', maxResponseBytes: 16 * 1024 })
    await expect(roomy.refresh('rt')).rejects.toMatchObject({ code: 'ERR_INVALID_RESPONSE' })
  })

  it('userinfo: bounded the same way', async () => {
    const { url, streams } = await hostile(HUGE)
    const client = createClient(metadataFor(url), { clientId: 'c' })
    await expect(client.userinfo('at', { skipSubjectCheck: true })).rejects.toMatchObject({
      code: 'ERR_RESPONSE_TOO_LARGE',
    })
    await streams[0]!.done
    expect(streams[0]!.cutShort).toBe(true)
  })

  it('a 200 MB discovery document: refused, not cached, the rest never read', async () => {
    const { url, streams } = await hostile(HUGE)
    await expect(discover(url)).rejects.toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' })
    await streams[0]!.done
    expect(streams[0]!.cutShort).toBe(true)
    // Not cached: the next call asks again.
    await expect(discover(url, { maxResponseBytes: 1024 })).rejects.toMatchObject({
      code: 'ERR_RESPONSE_TOO_LARGE',
    })
    expect(streams).toHaveLength(2)
  })

  it('refuses a maxResponseBytes that is not a positive integer', () => {
    for (const maxResponseBytes of [0, -1, 1.5, Number.NaN, '1' as unknown as number]) {
      expect(() =>
        createClient(metadataFor('http://127.0.0.1:1'), { clientId: 'c', maxResponseBytes }),
      ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    }
  })
})

import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { InvalidOptionError, InvalidResponseError, type Scope } from '../../../src/admin/index.js'
import { server } from '../msw.js'
import { API, apiCalls, ORG, record, rejectionOf, SSWS_TOKEN, sswsClient } from './helpers.js'

const BASE = `${API}/authorizationServers/aus1/scopes`
const scope = (id: string): Scope => ({ id, name: `scope:${id}` })

/**
 * Three pages of scopes: a, b | c, d | e. Page 2's Link header names both
 * `self` and `next`, as Okta sends it.
 */
function threePages(links: Record<string, string | null> = {}, maxRequests = 20): void {
  let requests = 0
  const pages: Record<string, { items: Scope[]; link: string | null }> = {
    '': {
      items: [scope('a'), scope('b')],
      link: `<${BASE}?after=b&limit=2>; rel="next"`,
    },
    b: {
      items: [scope('c'), scope('d')],
      link: `<${BASE}?after=b&limit=2>; rel="self", <${BASE}?after=d&limit=2>; rel="next"`,
    },
    d: { items: [scope('e')], link: `<${BASE}?after=d&limit=2>; rel="self"` },
  }
  server.use(
    http.get(BASE, ({ request }) => {
      // Bounds a client that would loop: it then fails fast instead of hanging.
      if (++requests > maxRequests) {
        return HttpResponse.json({ errorSummary: 'too many pages read' }, { status: 400 })
      }
      const after = new URL(request.url).searchParams.get('after') ?? ''
      const page = pages[after]
      if (!page) return HttpResponse.json({ errorSummary: 'no such page' }, { status: 404 })
      const link = after in links ? links[after] : page.link
      return HttpResponse.json(page.items, { headers: link ? { link } : {} })
    }),
  )
}

describe('pagination: following Link rel="next"', () => {
  it('for await reads every item across three pages, one request per page', async () => {
    threePages()
    const seen = record()
    const ids: string[] = []
    for await (const s of sswsClient().scopes.list('aus1', { limit: 2 })) ids.push(s.id)
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e'])
    const calls = apiCalls(seen)
    expect(calls.map((c) => c.url.href)).toEqual([
      `${BASE}?limit=2`,
      `${BASE}?after=b&limit=2`,
      `${BASE}?after=d&limit=2`,
    ])
    for (const c of calls) {
      expect(c.method).toBe('GET')
      expect(c.headers.get('authorization')).toBe(`SSWS ${SSWS_TOKEN}`)
    }
  })

  it('pages() yields each page with its items and next link', async () => {
    threePages()
    const pages = []
    for await (const page of sswsClient().scopes.list('aus1', { limit: 2 }).pages()) {
      pages.push(page)
    }
    expect(pages).toEqual([
      { items: [scope('a'), scope('b')], next: `${BASE}?after=b&limit=2` },
      { items: [scope('c'), scope('d')], next: `${BASE}?after=d&limit=2` },
      { items: [scope('e')] },
    ])
  })

  it('all() collects every item; all(limit) stops without reading further pages', async () => {
    threePages()
    const seen = record()
    const list = sswsClient().scopes.list('aus1', { limit: 2 })
    expect((await list.all()).map((s) => s.id)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(apiCalls(seen)).toHaveLength(3)

    // Each iteration starts again from the first page.
    expect((await list.all(3)).map((s) => s.id)).toEqual(['a', 'b', 'c'])
    expect(apiCalls(seen)).toHaveLength(5)

    // A limit reached at a page's end does not fetch the next page.
    expect((await list.all(2)).map((s) => s.id)).toEqual(['a', 'b'])
    expect(apiCalls(seen)).toHaveLength(6)

    expect(await list.all(0)).toEqual([])
    expect(apiCalls(seen)).toHaveLength(6)
  })

  it('all() refuses a limit that is not a non-negative integer', async () => {
    const seen = record()
    const list = sswsClient().scopes.list('aus1')
    for (const limit of [-1, 1.5, Number.NaN]) {
      expect(await rejectionOf(list.all(limit))).toBeInstanceOf(InvalidOptionError)
    }
    expect(seen).toHaveLength(0)
  })

  it('breaking out of for await stops reading pages', async () => {
    threePages()
    const seen = record()
    for await (const s of sswsClient().scopes.list('aus1', { limit: 2 })) {
      if (s.id === 'b') break
    }
    expect(apiCalls(seen)).toHaveLength(1)
  })

  it('follows a relative next link, and one of several relations ("prev next")', async () => {
    threePages({
      '': `</api/v1/authorizationServers/aus1/scopes?after=b&limit=2>; rel="next"`,
      b: `<${BASE}?after=a>; rel="prev", <${BASE}?after=d&limit=2>; rel="prev next"`,
    })
    const ids = (await sswsClient().scopes.list('aus1').all()).map((s) => s.id)
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('a relation that only starts with "next" is not followed', async () => {
    threePages({ '': `<${BASE}?after=b&limit=2>; rel="nextpage"` })
    const seen = record()
    expect((await sswsClient().scopes.list('aus1').all()).map((s) => s.id)).toEqual(['a', 'b'])
    expect(apiCalls(seen)).toHaveLength(1)
  })
})

describe('pagination: next links that must not be followed', () => {
  it.each([
    ['another origin', 'https://evil.example.com/api/v1/authorizationServers/aus1/scopes?after=b'],
    ['another port', 'https://example.okta.com:8443/api/v1/authorizationServers?after=b'],
    ['http: on the org host', 'http://example.okta.com/api/v1/authorizationServers?after=b'],
    ['outside /api/v1', `${ORG}/oauth2/v1/keys?after=b`],
    ['a lookalike prefix', `${ORG}/api/v10/authorizationServers?after=b`],
    ['dot segments out of /api/v1', `${ORG}/api/v1/../../oauth2/v1/keys`],
  ])('%s: InvalidResponseError, and no request to it', async (_, next) => {
    threePages({ '': `<${next}>; rel="next"` })
    const seen = record()
    const err = await rejectionOf(sswsClient().scopes.list('aus1').all())
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE' })
    expect(err.message).toMatch(/not followed/)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.url.href).toBe(BASE)
  })

  it('a next link that repeats a page already read stops with an error', async () => {
    // Page 2 links to itself: without a check this would loop forever.
    threePages({ b: `<${BASE}?after=b&limit=2>; rel="next"` }, 5)
    const seen = record()
    const ids: string[] = []
    const err = await rejectionOf(
      (async () => {
        for await (const s of sswsClient().scopes.list('aus1')) ids.push(s.id)
      })(),
    )
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err.message).toMatch(/repeats a page/)
    expect(ids).toEqual(['a', 'b', 'c', 'd'])
    expect(apiCalls(seen)).toHaveLength(2)
  })

  it('a cycle over several pages also ends', async () => {
    threePages({ d: `<${BASE}?after=b&limit=2>; rel="next"` }, 5)
    const seen = record()
    const err = await rejectionOf(sswsClient().scopes.list('aus1').all())
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(apiCalls(seen)).toHaveLength(3)
  })

  it('an error on a later page rejects the iteration with it', async () => {
    threePages({ b: `<${BASE}?after=zzz>; rel="next"` })
    const err = await rejectionOf(sswsClient().scopes.list('aus1').all())
    expect(err).toMatchObject({ code: 'ERR_API_NOT_FOUND', status: 404 })
  })
})

describe('pagination: hostile servers (issue 14, found by the property tests)', () => {
  it('empty pages that keep linking to new pages end with InvalidResponseError, not an endless loop', async () => {
    let requests = 0
    server.use(
      http.get(BASE, () => {
        requests++
        if (requests > 50) return HttpResponse.json({ errorSummary: 'runaway' }, { status: 400 })
        return HttpResponse.json([], {
          headers: { link: `<${BASE}?after=${requests}>; rel="next"` },
        })
      }),
    )
    const err = await rejectionOf(sswsClient().scopes.list('aus1').all())
    expect(err).toBeInstanceOf(InvalidResponseError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE' })
    // The first page and three empty ones that link on are read; the fourth link is not followed.
    expect(requests).toBe(4)
  })

  it('a 204 where a list or a resource was expected is InvalidResponseError', async () => {
    server.use(
      http.get(BASE, () => new HttpResponse(null, { status: 204 })),
      http.get(`${API}/authorizationServers/aus1`, () => new HttpResponse(null, { status: 204 })),
    )
    const client = sswsClient()
    for (const call of [
      () => client.scopes.list('aus1').all(),
      () => client.authorizationServers.get('aus1'),
    ]) {
      const err = await rejectionOf(call())
      expect(err).toBeInstanceOf(InvalidResponseError)
      expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 204 })
    }
  })

  it('a data-model error names model fields, never keys the server chose', async () => {
    server.use(
      http.get(`${API}/authorizationServers/aus1/scopes/s1`, () =>
        HttpResponse.json({ id: 's1', name: 'n', _links: { 'SERVER-CHOSEN-KEY': 42 } }),
      ),
    )
    const err = await rejectionOf(sswsClient().scopes.get('aus1', 's1'))
    expect(err).toMatchObject({ name: 'InvalidResponseError', code: 'ERR_INVALID_RESPONSE' })
    expect(err.message).toContain('_links')
    expect(err.message).not.toContain('SERVER-CHOSEN-KEY')
  })
})

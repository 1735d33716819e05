// The verifier's options, checked when it is created: its backend, the
// algorithm list, insecure issuers, jwksUri and jwksCache with several
// issuers, a missing issuer or audience. Nothing is fetched.
import { describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../../../src/verifier/index.js'
import { ISSUER } from '../fake-issuer.js'
import { verifierOf } from './access-token-harness.js'
import { BACKENDS } from './helpers.js'

describe.each(BACKENDS)('verifier options on $name', ({ name, createVerifier }) => {
  const { make } = verifierOf(createVerifier)

  it('reports its backend', () => {
    expect(make().crypto).toBe(name)
  })

  it('refuses none, HMAC, unknown and empty algorithm lists', () => {
    for (const algorithms of [
      ['none'],
      ['HS256'],
      ['RS256', 'HS512'],
      ['hs384'],
      [],
      ['RS1'],
      ['A256GCM'],
      [256],
      'RS256',
    ]) {
      let err: unknown
      try {
        make({ algorithms: algorithms as never })
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(InvalidOptionError)
      expect((err as InvalidOptionError).code).toBe('ERR_INVALID_OPTION')
    }
  })

  it('refuses an http issuer off loopback, allows loopback and allowInsecureRequests', () => {
    let err: unknown
    try {
      make({ issuer: 'http://example.com/oauth2/default' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect((err as InvalidOptionError).code).toBe('ERR_INSECURE_URL')
    expect(() => make({ issuer: ['https://a.example.com', 'http://b.example.com'] })).toThrow(
      /must be an https/,
    )
    expect(make({ issuer: 'http://127.0.0.1:9000/oauth2/default' }).issuers).toEqual([
      'http://127.0.0.1:9000/oauth2/default',
    ])
    expect(
      make({ issuer: 'http://example.com/oauth2/default', allowInsecureRequests: true }).issuers,
    ).toHaveLength(1)
  })

  it('refuses jwksUri or jwksCache with several issuers', () => {
    const issuer = [ISSUER, 'https://b.example.com/oauth2/t2']
    expect(() => make({ issuer, jwksUri: `${ISSUER}/v1/keys` })).toThrow(InvalidOptionError)
    expect(() => make({ issuer, jwksCache: make().jwksCache() ?? ({} as never) })).toThrow(
      InvalidOptionError,
    )
  })

  it('refuses a missing issuer or audience', () => {
    for (const bad of [
      { issuer: '' },
      { issuer: [] },
      { issuer: [ISSUER, ''] },
      { audience: '' },
      { audience: [] },
      { audience: undefined },
      { issuer: 'not a url' },
    ]) {
      expect(() => make(bad as never)).toThrow(InvalidOptionError)
    }
  })
})

import { describe, expect, it } from 'vitest'
import { createClient, InvalidOptionError, type ServerMetadata } from '../../../src/index.js'
import {
  fill,
  LOGOUT_EXAMPLES_CUSTOM,
  LOGOUT_EXAMPLES_ORG,
  type LogoutExample,
} from '../../fixtures/reference.js'
import { CLIENT_ID } from '../fake-issuer.js'
import { CUSTOM_ISSUER, customMetadata, ORG, orgMetadata, PLACEHOLDERS } from './servers.js'

const ID_TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIwMHVpZDRCeFh3Nkk2VFY0bTBnMyJ9.c2ln'
const REDIRECT = 'https://app.example.com/logged-out'
const STATE = 'state-8f3Ka_x.1'

/** The examples' own placeholders, filled in. */
const VALUES = {
  ...PLACEHOLDERS,
  '${id_token_hint}': ID_TOKEN,
  '${post_logout_redirect_uri}': REDIRECT,
  '${state}': STATE,
}

/** The parameters of `example` for Client.logoutUrl. */
function parametersOf(example: LogoutExample) {
  const q = Object.fromEntries(example.query)
  return {
    idTokenHint: q.id_token_hint!,
    ...(q.post_logout_redirect_uri !== undefined && {
      postLogoutRedirectUri: q.post_logout_redirect_uri,
    }),
    ...(q.state !== undefined && { state: q.state }),
  }
}

const withLogout: ServerMetadata = {
  ...customMetadata('openid-configuration'),
  end_session_endpoint: `${CUSTOM_ISSUER}/v1/logout`,
}

describe.each([
  ['oidc-api.md (org server)', LOGOUT_EXAMPLES_ORG, orgMetadata()],
  ['oauth2-api.md (custom server, end_session_endpoint added)', LOGOUT_EXAMPLES_CUSTOM, withLogout],
] as const)('logout "Request Examples" of %s', (_name, examples, metadata) => {
  it.each(examples.map((e, i) => [i + 1, fill(e, VALUES)] as const))(
    'example %i is reproduced: endpoint and query parameters, in order',
    (_i, example) => {
      const client = createClient(metadata, { clientId: CLIENT_ID })
      const url = client.logoutUrl(parametersOf(example))

      expect(`${url.origin}${url.pathname}`).toBe(example.endpoint)
      expect([...url.searchParams]).toEqual(example.query)
      expect(url.hash).toBe('')
    },
  )

  it("the endpoint is the discovery document's end_session_endpoint", () => {
    expect(metadata.end_session_endpoint).toBe(fill(examples[0]!.endpoint, VALUES))
    expect(metadata.end_session_endpoint).toBe(
      metadata === withLogout ? `${CUSTOM_ISSUER}/v1/logout` : `${ORG}/oauth2/v1/logout`,
    )
  })
})

describe('logoutUrl', () => {
  const client = (options = {}) => createClient(orgMetadata(), { clientId: CLIENT_ID, ...options })

  it("uses the client's postLogoutRedirectUri by default", () => {
    const url = client({ postLogoutRedirectUri: REDIRECT }).logoutUrl({ idTokenHint: ID_TOKEN })
    expect([...url.searchParams]).toEqual([
      ['id_token_hint', ID_TOKEN],
      ['post_logout_redirect_uri', REDIRECT],
    ])
  })

  it('a per-call postLogoutRedirectUri overrides the default', () => {
    const url = client({ postLogoutRedirectUri: 'https://app.example.com/default' }).logoutUrl({
      idTokenHint: ID_TOKEN,
      postLogoutRedirectUri: REDIRECT,
    })
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(REDIRECT)
  })

  it('encodes values so they round-trip', () => {
    const state = 'a b&c=d/é'
    const url = client().logoutUrl({ idTokenHint: ID_TOKEN, state, extra: { ui: 'x y' } })
    expect(url.searchParams.get('state')).toBe(state)
    expect(url.searchParams.get('ui')).toBe('x y')
    expect(new URL(url.href).searchParams.get('state')).toBe(state)
  })

  it('sends post_logout_redirect_uri exactly as given, since Okta matches it against the registered value', () => {
    // "It must match the value preregistered in Okta during client
    // registration": redirect URIs are compared as strings, so the SDK must
    // not normalise it (`new URL(value).href` would turn
    // `https://app.example.com` into `https://app.example.com/`).
    const registered = 'https://app.example.com'
    const url = client().logoutUrl({ idTokenHint: ID_TOKEN, postLogoutRedirectUri: registered })
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(registered)
  })

  it.each([
    ['a missing', {}],
    ['an empty', { idTokenHint: '' }],
    ['a non-string', { idTokenHint: 42 }],
  ])('%s idTokenHint throws InvalidOptionError ERR_INVALID_OPTION', (_what, params) => {
    const err = (() => {
      try {
        client({ postLogoutRedirectUri: REDIRECT }).logoutUrl(params as never)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(err).toBeInstanceOf(InvalidOptionError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION' })
  })

  it.each([['openid-configuration'], ['oauth-authorization-server']] as const)(
    "a client of the custom server's %s document as printed has no end_session_endpoint → ERR_MISSING_ENDPOINT",
    (wellKnown) => {
      const metadata = customMetadata(wellKnown)
      expect(metadata.end_session_endpoint).toBeUndefined()
      const c = createClient(metadata, { clientId: CLIENT_ID })
      expect(() => c.logoutUrl({ idTokenHint: ID_TOKEN })).toThrow(InvalidOptionError)
      expect(() => c.logoutUrl({ idTokenHint: ID_TOKEN })).toThrow(
        expect.objectContaining({ code: 'ERR_MISSING_ENDPOINT' }),
      )
    },
  )

  it('refuses an http: end_session_endpoint off loopback', () => {
    const c = createClient(
      { ...orgMetadata(), end_session_endpoint: 'http://example.okta.com/oauth2/v1/logout' },
      { clientId: CLIENT_ID },
    )
    expect(() => c.logoutUrl({ idTokenHint: ID_TOKEN })).toThrow(
      expect.objectContaining({ code: 'ERR_INSECURE_URL' }),
    )
  })
})

import type { JWTPayload } from 'jose'
import { http } from 'msw'
import { type ClientOptions, createClient, type ServerMetadata } from '../../../src/index.js'
import {
  CUSTOM_OAUTH_AUTHORIZATION_SERVER,
  CUSTOM_OPENID_CONFIGURATION,
  fill,
  ORG_OPENID_CONFIGURATION,
} from '../../fixtures/reference.js'
import { CLIENT_ID, createFakeIssuer, type Recorded } from '../fake-issuer.js'
import { server } from '../msw.js'

/** The org the placeholders stand for: `{yourOktaDomain}.com` and `${org}.okta.com` both become it. */
export const ORG = 'https://example.okta.com'
/** The custom authorization server id of oauth2-api.md's password-flow example. */
export const AS_ID = 'aus9s3ami4MRoqQR90h7'
/** The custom server's issuer, as Okta actually names it (`https://{org}/oauth2/{id}`). */
export const CUSTOM_ISSUER = `${ORG}/oauth2/${AS_ID}`

/** How the documents' host and server-id placeholders are filled in. */
export const PLACEHOLDERS = {
  '{yourOktaDomain}': 'example.okta',
  '${org}': 'example',
  '{authorizationServerId}': AS_ID,
} as const

/** oidc-api.md's discovery document for {@link ORG}. */
export function orgMetadata(): ServerMetadata {
  return fill(ORG_OPENID_CONFIGURATION, PLACEHOLDERS)
}

/**
 * oauth2-api.md's discovery documents for {@link CUSTOM_ISSUER}, as served
 * (`issuer` is the org URL) or with the issuer corrected to the server's.
 */
export function customMetadata(
  wellKnown: 'openid-configuration' | 'oauth-authorization-server',
  { correctIssuer = true } = {},
): ServerMetadata {
  const doc =
    wellKnown === 'openid-configuration'
      ? CUSTOM_OPENID_CONFIGURATION
      : CUSTOM_OAUTH_AUTHORIZATION_SERVER
  const filled = fill(doc, PLACEHOLDERS)
  return correctIssuer ? { ...filled, issuer: CUSTOM_ISSUER } : filled
}

/** The two kinds of server the documents describe, with their endpoint base. */
export const SERVERS = [
  {
    name: 'org server (oidc-api.md)',
    issuer: ORG,
    // The org server's endpoints are `{org}/oauth2/v1/...`.
    base: `${ORG}/oauth2`,
    metadata: orgMetadata,
  },
  {
    name: 'custom server (oauth2-api.md)',
    issuer: CUSTOM_ISSUER,
    base: CUSTOM_ISSUER,
    metadata: () => customMetadata('openid-configuration'),
  },
] as const

export type ReferenceServer = (typeof SERVERS)[number]

/**
 * A fake issuer (real RSA key, msw, recorded requests) whose endpoints are
 * where the reference documents put them, and a client configured with the
 * reference discovery document rather than the fake's own metadata.
 */
export async function referenceIssuer(kind: ReferenceServer = SERVERS[0]) {
  // createFakeIssuer serves `{base}/v1/token`, `{base}/v1/keys`, …: with the
  // org server's base `{org}/oauth2` those are exactly oidc-api.md's URLs.
  const fake = await createFakeIssuer(kind.base)
  const metadata = kind.metadata()
  return {
    fake,
    metadata,
    issuer: kind.issuer,
    client: (options: Partial<ClientOptions> = {}) =>
      createClient(metadata, { clientId: CLIENT_ID, ...options }),
    /** An ID token of this server (the fake signs with `iss` = its base otherwise). */
    idToken: (claims: JWTPayload = {}) => fake.idToken({ iss: kind.issuer, ...claims }),
  }
}

/** A client of `kind` configured with its reference discovery document (no fake issuer, no keys). */
export function referenceClient(kind: ReferenceServer, options: Partial<ClientOptions> = {}) {
  return createClient(kind.metadata(), { clientId: CLIENT_ID, ...options })
}

/**
 * Answer `method url` with `respond` and record each request (form body
 * parsed), for tests that need no signing key.
 */
export function record(
  method: 'get' | 'post',
  url: string,
  respond: (request: Request, form: URLSearchParams) => Response | Promise<Response>,
): Recorded[] {
  const requests: Recorded[] = []
  server.use(
    http[method](url, async ({ request }) => {
      const form = new URLSearchParams(method === 'post' ? await request.clone().text() : '')
      requests.push({
        url: new URL(request.url),
        method: request.method,
        headers: request.headers,
        form,
      })
      return respond(request, form)
    }),
  )
  return requests
}

/** Everything an error exposes that could end up in a log. */
export function dump(err: unknown): string {
  const e = err as Error & { cause?: unknown }
  const causes: string[] = []
  for (let c: unknown = e?.cause, i = 0; c !== undefined && i < 5; i++) {
    causes.push(String(c), (c as Error)?.stack ?? '', safeJson(c))
    c = (c as { cause?: unknown })?.cause
  }
  return [String(e), e?.message, e?.stack, safeJson(e), ...causes].join('\n')
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return ''
  }
}

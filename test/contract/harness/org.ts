import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose'
import {
  DEFAULT_API_TOKEN,
  DEFAULT_CLIENTS,
  type RunningOktaOrg,
  type StartOktaOrgOptions,
  startOktaOrg,
} from '../../../src/testing/index.js'

// The local org every contract test file starts for itself (on a random port
// of 127.0.0.1), set up as a developer would set up a real org for Okta's
// official clients: the default SPA and web app, a web app that posts its
// secret, and a service app for OAuth for Okta (private_key_jwt) with two
// registered keys, one the test hands to okta-sdk-nodejs as PEM and one as
// JWK. The service app is granted today's scope names.

/** The default SPA: public, `none`, PKCE. */
export const SPA = {
  clientId: DEFAULT_CLIENTS[0]!.clientId,
  redirectUri: 'http://localhost:8080/callback',
  /** A trusted origin (CORS): the origin of the SPA's redirect URI. */
  origin: 'http://localhost:8080',
} as const

/** The default web app: a secret, registered as `client_secret_basic`. */
export const WEB = {
  clientId: DEFAULT_CLIENTS[1]!.clientId,
  clientSecret: DEFAULT_CLIENTS[1]!.clientSecret!,
  redirectUri: 'http://localhost:3000/callback',
} as const

/** A web app registered as `client_secret_post`. */
export const WEB_POST = {
  clientId: '0oacontractpost00000',
  clientSecret: 'contract-web-post-secret-long-enough-for-hs256',
  redirectUri: 'http://localhost:3000/callback',
} as const

/** The service app of OAuth for Okta (private_key_jwt). */
export const SERVICE_APP = '0oacontractsvc000000'

/** What the service app is granted: today's scope names for each operation. */
export const SERVICE_SCOPES = [
  'okta.authorizationServers.read',
  'okta.authorizationServers.manage',
  'okta.appGrants.read',
  'okta.appGrants.manage',
  'okta.apps.read',
  'okta.apps.manage',
] as const

/** The emulated org's SSWS API token. */
export const API_TOKEN = DEFAULT_API_TOKEN

/** The org's user (see DEFAULT_USERS). */
export const USER = { login: 'john.doe@example.com', password: 'correct horse battery staple' }

/** A running contract org and the service app's private keys. */
export interface ContractOrg {
  readonly running: RunningOktaOrg
  /** `http://127.0.0.1:{port}`. */
  readonly url: string
  /** The issuer of a custom server (default: `default`). */
  issuer(id?: string): string
  /** The service app's key registered as `pem-key`, as PKCS#8 PEM. */
  readonly pemKey: string
  /** The service app's key registered as `jwk-key`, as a private JWK with its `kid`. */
  readonly jwkKey: JWK
  close(): Promise<void>
}

async function keyPair(kid: string): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  return {
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  }
}

/**
 * Start the contract org.
 * @param options - Extra org options (extra msw handlers, to record requests).
 */
export async function startContractOrg(options: StartOktaOrgOptions = {}): Promise<ContractOrg> {
  const [pem, jwk] = await Promise.all([keyPair('pem-key'), keyPair('jwk-key')])
  const running = await startOktaOrg({
    ...options,
    clients: [
      ...DEFAULT_CLIENTS,
      {
        clientId: WEB_POST.clientId,
        clientSecret: WEB_POST.clientSecret,
        tokenEndpointAuthMethod: 'client_secret_post',
        redirectUris: [WEB_POST.redirectUri],
      },
      {
        clientId: SERVICE_APP,
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [pem.publicJwk, jwk.publicJwk] },
        oktaScopes: [...SERVICE_SCOPES],
      },
    ],
  })
  return {
    running,
    url: running.url,
    issuer: (id?: string) => running.org.issuer(id),
    pemKey: await exportPKCS8(pem.privateKey),
    jwkKey: { ...(await exportJWK(jwk.privateKey)), kid: 'jwk-key', alg: 'RS256' },
    close: () => running.close(),
  }
}

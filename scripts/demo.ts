/**
 * `npm run demo`: starts the SDK's local Okta-style org (`startOktaOrg` from
 * `okta-oauth-kit/testing`, served over HTTP on 127.0.0.1) and walks through
 * the SDK, printing a transcript. Tokens are never printed, only their shape.
 */
import { decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose'
import { createAdminClient } from '../src/admin/index.js'
import { createClient, discover, isOktaOAuthError, type TokenSet } from '../src/index.js'
import { DEFAULT_CLIENTS, DEFAULT_USERS, startOktaOrg } from '../src/testing/index.js'
import { createVerifier } from '../src/verifier/node.js'

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)
const step = (n: number, title: string) => console.log(`\n${bold(`${n}. ${title}`)}`)
const show = (label: string, value: unknown) =>
  console.log(`   ${label.padEnd(22)} ${typeof value === 'string' ? value : JSON.stringify(value)}`)
// Never print a token, not even a prefix: only its shape.
const redact = (token: string | undefined) =>
  token
    ? `[redacted ${token.split('.').length === 3 ? 'JWT' : 'opaque'}, ${token.length} chars]`
    : '(none)'

function showTokens(tokens: TokenSet) {
  show('access token', redact(tokens.accessToken))
  show(
    'token type / expires',
    `${tokens.tokenType}, in ${tokens.expiresIn}s (at ${tokens.expiresAt})`,
  )
  show('scope', tokens.scope ?? '(not returned)')
  show('refresh token', redact(tokens.refreshToken))
  if (tokens.idTokenClaims) {
    const { sub, aud, iss, nonce, auth_time } = tokens.idTokenClaims
    show('ID token (validated)', { iss, sub, aud, nonce, auth_time })
  }
}

/** Change the payload (add a scope) and keep the signature. */
function tamper(jwt: string): string {
  const [h, p, s] = jwt.split('.') as [string, string, string]
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString())
  claims.scp = [...(claims.scp ?? []), 'orders:admin']
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`demo check failed: ${what}`)
}

async function main() {
  // A service app authenticating with private_key_jwt: its public key is
  // registered with the org, the private key stays here.
  const serviceKey = await generateKeyPair('RS256', { extractable: true })
  const servicePublic = { ...(await exportJWK(serviceKey.publicKey)), kid: 'svc-1', alg: 'RS256' }
  const [spaApp, webApp] = DEFAULT_CLIENTS as [
    (typeof DEFAULT_CLIENTS)[0],
    (typeof DEFAULT_CLIENTS)[0],
  ]
  const user = DEFAULT_USERS[0]!
  const { url, org, close } = await startOktaOrg({
    clients: [
      ...DEFAULT_CLIENTS,
      {
        clientId: '0oaservice000000000',
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [servicePublic] },
        // OAuth for Okta: the app may get these okta.* scopes from the org server.
        oktaScopes: ['okta.authorizationServers.manage', 'okta.authorizationServers.read'],
      },
    ],
  })
  console.log(bold('okta-oauth-kit demo'))
  console.log(`local Okta-style org: ${url} (issuer ${org.issuer()})`)
  try {
    step(1, 'Discovery')
    const metadata = await discover(org.issuer())
    show('issuer (exact match)', metadata.issuer)
    show('token endpoint', metadata.token_endpoint)
    show('jwks_uri', metadata.jwks_uri)
    show('auth methods', metadata.token_endpoint_auth_methods_supported)

    step(2, 'Authorization code + PKCE (public client, headless login)')
    const client = createClient(metadata, {
      clientId: spaApp.clientId,
      redirectUri: spaApp.redirectUris![0]!,
      postLogoutRedirectUri: spaApp.postLogoutRedirectUris![0]!,
    })
    const { url: authorize, transaction } = await client.authorizationUrl({
      scope: 'openid profile email offline_access',
    })
    show(
      'authorize',
      `${authorize.origin}${authorize.pathname}?response_type=code&code_challenge_method=S256&…`,
    )
    const redirect = await fetch(authorize, { redirect: 'manual' })
    const callback = new URL(redirect.headers.get('location')!)
    show('callback', `${callback.origin}${callback.pathname}?code=…&state=(checked)`)
    const tokens = await client.handleCallback(callback, transaction)
    check(tokens.accessToken !== undefined, 'code flow returns an access token')
    showTokens(tokens as TokenSet)

    step(3, 'Implicit id_token token (legacy) through the fragment')
    const implicit = await client.authorizationUrl({
      scope: 'openid profile',
      responseType: 'id_token token',
    })
    const fragment = await fetch(implicit.url, { redirect: 'manual' })
    const implicitResult = await client.handleCallback(
      fragment.headers.get('location')!,
      implicit.transaction,
    )
    show('access token', redact(implicitResult.accessToken))
    show('ID token sub', implicitResult.idTokenClaims?.sub)
    show('at_hash', implicitResult.idTokenClaims?.at_hash ? 'present and checked' : 'missing')

    step(4, 'Userinfo (sub checked against the ID token)')
    const info = await client.userinfo(tokens as TokenSet)
    show('userinfo', info)

    step(5, 'Refresh (the refresh token rotates)')
    const refreshed = await client.refresh(tokens.refreshToken!, {
      expectedSubject: tokens.idTokenClaims!.sub,
    })
    show('new refresh token', refreshed.refreshToken !== tokens.refreshToken ? 'rotated' : 'same')
    const replay = await client.refresh(tokens.refreshToken!).catch((e) => e)
    check(isOktaOAuthError(replay), 'a rotated refresh token is refused')
    show('old one replayed', `${replay.code}: ${(replay as { error?: string }).error}`)

    step(6, 'Password grant (legacy; client_secret_basic)')
    const web = createClient(metadata, {
      clientId: webApp.clientId,
      auth: { method: 'client_secret_basic', clientSecret: webApp.clientSecret! },
    })
    const pw = await web.password({
      username: user.login,
      password: user.password,
      scope: 'openid profile offline_access',
    })
    showTokens(pw)
    const wrong = await web
      .password({ username: user.login, password: 'wrong', scope: 'openid' })
      .catch((e) => e)
    show('wrong password', `${wrong.code}: ${wrong.error} (HTTP ${wrong.status})`)

    step(7, 'Client credentials with private_key_jwt (aud = token endpoint)')
    const svc = createClient(metadata, {
      clientId: '0oaservice000000000',
      auth: { method: 'private_key_jwt', key: serviceKey.privateKey, kid: 'svc-1' },
    })
    const cc = await svc.clientCredentials({ scope: 'orders:read' })
    showTokens(cc)

    step(8, 'Resource server: verify the access token (node:crypto, JWKS cache)')
    const verifier = createVerifier({ issuer: org.issuer(), audience: 'api://default' })
    const verified = await verifier.verifyAccessToken(cc.accessToken, { scopes: ['orders:read'] })
    show('verified', {
      format: verified.format,
      clientId: verified.clientId,
      scopes: verified.scopes,
      crypto: verifier.crypto,
    })
    const denied = await verifier.authenticate(
      new Request('https://api.example.com/orders', {
        headers: { authorization: `Bearer ${cc.accessToken}` },
      }),
      { scopes: ['orders:write'] },
    )
    if (denied.ok) throw new Error('demo check failed: a missing scope must be refused')
    show(
      'missing scope',
      `${denied.response.status} ${denied.challenge.headers['www-authenticate']}`,
    )

    step(9, 'Introspect → revoke → introspect')
    const active = await svc.introspect(cc.accessToken, { tokenTypeHint: 'access_token' })
    show('before revoke', {
      active: active.active,
      scope: active.scope,
      client_id: active.client_id,
    })
    await svc.revoke(cc.accessToken, { tokenTypeHint: 'access_token' })
    const inactive = await svc.introspect(cc.accessToken)
    check(!inactive.active, 'a revoked token is inactive')
    show('after revoke', inactive)

    step(10, 'Signing key rotation: clients and the verifier follow the JWKS')
    const oldKid = org.activeKid()
    await org.rotateKeys()
    const newKid = await org.rotateKeys()
    const keysBefore = org.requestCount('keys')
    const after = await svc.clientCredentials({ scope: 'orders:read' })
    const afterVerified = await verifier.verifyAccessToken(after.accessToken)
    check(afterVerified.header?.kid === newKid, 'the token is signed with the new key')
    show('kid before / after', `${oldKid.slice(0, 8)}… → ${newKid.slice(0, 8)}…`)
    show('first new token', `verified, ${org.requestCount('keys') - keysBefore} JWKS refetch`)
    const idAfter = await web.password({
      username: user.login,
      password: user.password,
      scope: 'openid',
    })
    show(
      'new ID token kid',
      `${decodeProtectedHeader(idAfter.idToken!).kid?.slice(0, 8)}… (validated)`,
    )

    step(11, 'Tampered tokens (a scope added to the payload, signature kept)')
    const bad = await verifier.verifyAccessToken(tamper(after.accessToken)).catch((e) => e)
    check(bad.code === 'ERR_JWT_SIGNATURE_INVALID', 'a tampered access token is refused')
    show('access token', `${bad.code} (${bad.reason})`)
    const badId = await web.validateIdToken(tamper(idAfter.idToken!)).catch((e) => e)
    check(badId.code === 'ERR_JWT_SIGNATURE_INVALID', 'a tampered ID token is refused')
    show('ID token', `${badId.code} (${badId.reason})`)

    step(12, 'Refresh after the rotation, then logout')
    const latest = await client.refresh(refreshed.refreshToken!, {
      expectedSubject: tokens.idTokenClaims!.sub,
    })
    show('new ID token kid', `${decodeProtectedHeader(latest.idToken!).kid?.slice(0, 8)}…`)
    const logout = client.logoutUrl({ idTokenHint: latest.idToken!, state: 'bye' })
    show(
      'logout',
      `${logout.origin}${logout.pathname}?id_token_hint=…&post_logout_redirect_uri=${logout.searchParams.get('post_logout_redirect_uri')}&state=bye`,
    )
    const out = await fetch(logout, { redirect: 'manual' })
    show('redirected to', out.headers.get('location'))
    check(org.sessionUserId === undefined, 'the session ended')

    step(13, 'Management API with a scoped okta.* token (private_key_jwt)')
    const admin = createAdminClient({
      orgUrl: url,
      auth: {
        type: 'oauth',
        clientId: '0oaservice000000000',
        privateKey: serviceKey.privateKey,
        kid: 'svc-1',
        scopes: ['okta.authorizationServers.manage'],
      },
    })
    const server = await admin.authorizationServers.create({
      name: 'Demo API',
      description: 'created by npm run demo',
      audiences: ['api://demo'],
    })
    show('server', `${server.id} → ${server.issuer}`)
    await admin.scopes.create(server.id, { name: 'demo:read', description: 'Read the demo' })
    await admin.claims.create(server.id, {
      name: 'tier',
      status: 'ACTIVE',
      claimType: 'RESOURCE',
      valueType: 'EXPRESSION',
      value: '"gold"',
      conditions: { scopes: ['demo:read'] },
    })
    const policy = await admin.policies.create(server.id, {
      name: 'Demo policy',
      description: 'all clients',
      priority: 1,
      conditions: { clients: { include: ['ALL_CLIENTS'] } },
    })
    await admin.policyRules.create(server.id, policy.id, {
      name: 'Client credentials',
      conditions: {
        grantTypes: { include: ['client_credentials'] },
        scopes: { include: ['demo:read'] },
      },
      token: { accessTokenLifetimeMinutes: 60 },
    })
    show('created', 'scope demo:read, claim tier, a policy and a rule')
    const tooLong = await admin.policyRules
      .create(server.id, policy.id, {
        name: 'Too long',
        conditions: { scopes: { include: ['demo:read'] } },
        token: { accessTokenLifetimeMinutes: 2_000 },
      })
      .catch((e) => e)
    show('2 000 min lifetime', `${tooLong.code} (refused before sending)`)
    const demoClient = createClient(await discover(server.issuer!), {
      clientId: webApp.clientId,
      auth: { method: 'client_secret_basic', clientSecret: webApp.clientSecret! },
    })
    const demoVerifier = createVerifier({ issuer: server.issuer!, audience: 'api://demo' })
    const demoToken = await demoClient.clientCredentials({ scope: 'demo:read' })
    const demoClaims = await demoVerifier.verifyAccessToken(demoToken.accessToken, {
      scopes: ['demo:read'],
      claims: { tier: 'gold' },
    })
    show('token of the new server', `verified; tier=${String(demoClaims.claims.tier)}`)
    const rotation = await admin.keys.rotateAndWait(server.id, { interval: 100 })
    const rotatedToken = await demoClient.clientCredentials({ scope: 'demo:read' })
    const rotatedClaims = await demoVerifier.verifyAccessToken(rotatedToken.accessToken)
    check(rotatedClaims.header?.kid === rotation.kid, 'the new server signs with the rotated key')
    show(
      'rotated keys',
      `new kid verified; ${rotation.reloadedCaches} JWKS cache(s) told to reload`,
    )
    await admin.authorizationServers.deactivate(server.id)
    await admin.authorizationServers.delete(server.id)
    show('cleanup', 'deactivated and deleted')

    console.log(`\n${bold('done')}: every step above talked to ${url} over HTTP.`)
  } finally {
    await close()
  }
}

main().catch((err) => {
  console.error('demo failed:', isOktaOAuthError(err) ? `${err.code}: ${err.message}` : err)
  process.exit(1)
})

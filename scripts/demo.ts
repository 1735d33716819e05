/**
 * `npm run demo`: starts a local Okta-style authorization server (a real
 * oidc-provider on 127.0.0.1, issuer …/oauth2/default, endpoints …/v1/…) and
 * walks through the SDK, printing a transcript. Tokens are shown redacted.
 */
import { decodeProtectedHeader } from 'jose'
import { createClient, discover, isOktaOAuthError, type TokenSet } from '../src/index.js'
import { startProvider } from '../test/integration/harness/provider.js'

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

async function main() {
  const op = await startProvider()
  console.log(bold('okta-oauth-kit demo'))
  console.log(`local authorization server: ${op.issuer}`)
  try {
    step(1, 'Discovery')
    const metadata = await discover(op.issuer)
    show('issuer (exact match)', metadata.issuer)
    show('token endpoint', metadata.token_endpoint)
    show('jwks_uri', metadata.jwks_uri)
    show('auth methods', metadata.token_endpoint_auth_methods_supported)

    step(2, 'Authorization code + PKCE (public client, headless login)')
    const spa = op.clients.spa
    const client = createClient(metadata, {
      clientId: spa.clientId,
      redirectUri: spa.redirectUri,
      postLogoutRedirectUri: spa.postLogoutRedirectUris[0],
    })
    const { url: authorize, transaction } = await client.authorizationUrl({
      scope: 'openid profile email offline_access',
    })
    show(
      'authorize',
      `${authorize.origin}${authorize.pathname}?response_type=code&code_challenge_method=S256&…`,
    )
    const result = await op.authorize(authorize)
    if (!('location' in result)) throw new Error('expected a redirect back to the app')
    const callback = new URL(result.location)
    if (callback.searchParams.get('state') !== transaction.state) throw new Error('state mismatch')
    show('callback', `${callback.origin}${callback.pathname}?code=…&state=(matches)`)
    const tokens = await client.exchangeCode({
      code: callback.searchParams.get('code')!,
      codeVerifier: transaction.codeVerifier!,
      nonce: transaction.nonce,
    })
    showTokens(tokens)

    step(3, 'Userinfo (sub checked against the ID token)')
    const user = await client.userinfo(tokens)
    show('userinfo', user)

    step(4, 'Refresh (the refresh token rotates)')
    const refreshed = await client.refresh(tokens.refreshToken!, {
      expectedSubject: tokens.idTokenClaims!.sub,
    })
    show('new refresh token', refreshed.refreshToken !== tokens.refreshToken ? 'rotated' : 'same')
    const replay = await client.refresh(tokens.refreshToken!).catch((e) => e)
    show(
      'old one replayed',
      isOktaOAuthError(replay)
        ? `${replay.code}: ${(replay as { error?: string }).error}`
        : 'accepted?!',
    )

    step(5, 'Password grant (legacy; client_secret_post)')
    const web = op.clients.post
    const confidential = createClient(metadata, {
      clientId: web.clientId,
      auth: { method: 'client_secret_post', clientSecret: web.clientSecret! },
    })
    const pw = await confidential.password({
      username: op.user.username,
      password: op.user.password,
      scope: 'openid profile offline_access',
    })
    showTokens(pw)
    const wrong = await confidential
      .password({ username: op.user.username, password: 'wrong', scope: 'openid' })
      .catch((e) => e)
    show('wrong password', `${wrong.code}: ${wrong.error} (HTTP ${wrong.status})`)

    step(6, 'Client credentials with private_key_jwt (aud = token endpoint)')
    const service = op.clients.privateKeyJwt
    const svc = createClient(metadata, {
      clientId: service.clientId,
      auth: { method: 'private_key_jwt', key: service.privateJwk! },
    })
    const cc = await svc.clientCredentials({ scope: 'orders:read' })
    showTokens(cc)

    step(7, 'Introspect → revoke → introspect')
    const active = await svc.introspect(cc.accessToken, { tokenTypeHint: 'access_token' })
    show('before revoke', {
      active: active.active,
      scope: active.scope,
      client_id: active.client_id,
    })
    await svc.revoke(cc.accessToken, { tokenTypeHint: 'access_token' })
    show('after revoke', await svc.introspect(cc.accessToken))

    step(8, 'Signing key rotation (the client follows the JWKS, no restart)')
    const oldKid = op.signingKid()
    const newKid = await op.rotateSigningKey()
    const after = await confidential.password({
      username: op.user.username,
      password: op.user.password,
      scope: 'openid',
    })
    show('kid before / after', `${oldKid} → ${decodeProtectedHeader(after.idToken!).kid}`)
    show(
      'new ID token',
      after.idTokenClaims?.sub === op.user.sub && newKid
        ? 'validated with the new key'
        : 'unexpected',
    )

    step(9, 'Tampered ID token')
    const [h, p, s] = after.idToken!.split('.')
    const tampered = `${h}.${p!.slice(0, -4)}AAAA.${s}`
    const bad = await confidential.validateIdToken(tampered).catch((e) => e)
    show('validation', `${bad.code} (${bad.reason})`)

    step(10, 'Logout URL')
    const logout = client.logoutUrl({
      idTokenHint: refreshed.idToken ?? tokens.idToken!,
      state: 'bye',
    })
    show(
      'logout',
      `${logout.origin}${logout.pathname}?id_token_hint=…&post_logout_redirect_uri=${logout.searchParams.get('post_logout_redirect_uri')}&state=bye`,
    )
    const { location } = await op.logout(logout)
    show('redirected to', location)

    console.log(`\n${bold('done')}: every step above talked to ${op.origin} over HTTP.`)
  } finally {
    await op.close()
  }
}

main().catch((err) => {
  console.error('demo failed:', isOktaOAuthError(err) ? `${err.code}: ${err.message}` : err)
  process.exit(1)
})

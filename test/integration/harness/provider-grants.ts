/**
 * Grants the harness adds to oidc-provider: the Resource Owner Password grant, which Okta has and
 * oidc-provider does not implement. `buildProvider()` registers it on every Provider.
 */
import type { KoaContextWithOIDC, Provider } from 'oidc-provider'
import {
  API_AUDIENCE,
  API_RESOURCE_SERVER,
  API_SCOPES,
  account,
  KNOWN_SCOPES,
  splitScope,
  USER,
} from './provider-config.js'
import type { Internals, OidcProviderModule } from './provider-types.js'

// ---------------------------------------------------------------------------------------------
// Resource Owner Password grant (oidc-provider does not implement it)
// ---------------------------------------------------------------------------------------------

/**
 * grant_type=password, modelled on oidc-provider's built-in grants (lib/actions/grants/*.js,
 * lib/helpers/grant_common.js): a Grant is created and saved, and AccessToken / RefreshToken /
 * IdToken instances are issued against it, so the results behave exactly like built-in tokens
 * at userinfo, introspection, revocation and the refresh_token grant. No DPoP binding.
 */
export async function passwordGrant(
  oidc: OidcProviderModule,
  provider: Provider,
  internals: Internals,
  ctx: KoaContextWithOIDC,
): Promise<void> {
  const { errors } = oidc
  const { params } = ctx.oidc
  const client = ctx.oidc.client
  if (!client) throw new errors.InvalidClient('client not resolved')

  const missing = ['username', 'password'].filter(
    (p) => typeof params[p] !== 'string' || !params[p],
  )
  if (missing.length) {
    throw new errors.InvalidRequest(`missing required parameter(s) (${missing.join(',')})`)
  }
  if (params.username !== USER.username || params.password !== USER.password) {
    const err = new errors.InvalidGrant('authentication failed')
    // oidc-provider's InvalidGrant has a fixed generic description; use Okta's wording
    err.error_description = 'The credentials provided were invalid.'
    throw err
  }

  const requested = splitScope(params.scope)
  if (!requested.length) {
    throw new errors.InvalidScope(
      "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    )
  }
  const unknown = requested.filter((s) => !KNOWN_SCOPES.has(s))
  if (unknown.length) {
    throw new errors.InvalidScope(
      'One or more scopes are not configured for the authorization server resource.',
      unknown.join(' '),
    )
  }
  const scopes = requested.filter(
    (s) => s !== 'offline_access' || client.grantTypeAllowed('refresh_token'),
  )
  const apiScopes = scopes.filter((s) => (API_SCOPES as readonly string[]).includes(s))
  // in jwt mode API scopes belong to the api://default resource, otherwise everything is "OIDC"
  const oidcScopes = internals.jwtMode ? scopes.filter((s) => !apiScopes.includes(s)) : scopes
  const authTime = Math.floor(Date.now() / 1000)

  const grant = new provider.Grant({ accountId: USER.sub, clientId: client.clientId })
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '))
  const resource = internals.jwtMode && apiScopes.length ? [API_AUDIENCE] : undefined
  if (resource) grant.addResourceScope(API_AUDIENCE, apiScopes.join(' '))
  await grant.save()
  ctx.oidc.entity('Grant', grant)
  ctx.oidc.entity('Account', account)

  // Same resource rule as oidc-provider's lib/helpers/resolve_resource.js for code/refresh grants
  let atResource: string | undefined
  if (internals.jwtMode) {
    if (params.resource !== undefined) {
      if (params.resource !== API_AUDIENCE || !resource) throw new errors.InvalidTarget()
      atResource = API_AUDIENCE
    } else if (resource && !scopes.includes('openid')) {
      atResource = API_AUDIENCE
    }
  }

  const at = new provider.AccessToken({
    accountId: USER.sub,
    client,
    grantId: grant.jti,
    gty: 'password',
    expiresWithSession: false, // there is no session behind this grant
  })
  if (atResource) {
    at.resourceServer = new provider.ResourceServer(API_AUDIENCE, API_RESOURCE_SERVER)
    at.scope = apiScopes.join(' ')
  } else {
    at.scope = oidcScopes.join(' ')
  }
  ctx.oidc.entity('AccessToken', at)
  const accessToken = await at.save()

  let refreshToken: string | undefined
  if (scopes.includes('offline_access')) {
    const rt = new provider.RefreshToken({
      accountId: USER.sub,
      amr: ['pwd'],
      authTime,
      client,
      expiresWithSession: false,
      grantId: grant.jti,
      gty: 'password',
      resource,
      rotations: 0,
      scope: scopes.join(' '),
    })
    ctx.oidc.entity('RefreshToken', rt)
    refreshToken = await rt.save()
  }

  let idToken: string | undefined
  if (scopes.includes('openid')) {
    const oidcScope = oidcScopes.join(' ')
    const claims = await account.claims('id_token', oidcScope, {}, [])
    const token = new provider.IdToken(
      { ...claims, sub: USER.sub, auth_time: authTime, amr: ['pwd'] },
      { ctx },
    )
    token.scope = oidcScope
    token.mask = {}
    token.rejected = []
    idToken = await token.issue({ use: 'idtoken' }) // no nonce: there was no authorization request
  }

  ctx.body = Object.fromEntries(
    Object.entries({
      access_token: accessToken,
      expires_in: at.expiration,
      token_type: at.tokenType,
      scope: (atResource ? apiScopes : oidcScopes).join(' ') || undefined,
      refresh_token: refreshToken,
      id_token: idToken,
    }).filter(([, v]) => v !== undefined),
  )
}

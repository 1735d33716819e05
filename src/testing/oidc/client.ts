import type { OrgClient, OrgClientAuthMethod } from '../options.js'

// A client's registration as the endpoints read it, with Okta's defaults.

/** @internal The grants a client may use: its `grantTypes`, or every grant its method allows. */
export function grantsOf(client: OrgClient): Set<string> {
  if (client.grantTypes) return new Set(client.grantTypes)
  const method = methodOf(client)
  const grants = ['authorization_code', 'refresh_token', 'implicit', 'password']
  if (method !== 'none') grants.push('client_credentials')
  return new Set(grants)
}

/** @internal A client's token endpoint authentication method: `client_secret_basic` with a secret, else `none`. */
export function methodOf(client: OrgClient): OrgClientAuthMethod {
  return client.tokenEndpointAuthMethod ?? (client.clientSecret ? 'client_secret_basic' : 'none')
}

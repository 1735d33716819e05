import { InvalidResponseError } from '../errors.js'
import { isSecureUrl } from './url.js'

// What the SDK reads of a discovery document is checked when the document
// arrives, so that a server that publishes a member of the wrong type fails
// there, as the server fault it is (`InvalidResponseError`), and never later
// as a TypeError or as a mistake of the caller. Unknown members are kept as
// they are: servers extend the document.

const ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'jwks_uri',
  'userinfo_endpoint',
  'end_session_endpoint',
  'introspection_endpoint',
  'revocation_endpoint',
  'pushed_authorization_request_endpoint',
  'registration_endpoint',
  'device_authorization_endpoint',
] as const

const LISTS = [
  'scopes_supported',
  'response_types_supported',
  'response_modes_supported',
  'grant_types_supported',
  'subject_types_supported',
  'claims_supported',
  'code_challenge_methods_supported',
  'id_token_signing_alg_values_supported',
  'userinfo_signing_alg_values_supported',
  'request_object_signing_alg_values_supported',
  'dpop_signing_alg_values_supported',
  'token_endpoint_auth_methods_supported',
  'token_endpoint_auth_signing_alg_values_supported',
  'introspection_endpoint_auth_methods_supported',
  'revocation_endpoint_auth_methods_supported',
] as const

const FLAGS = [
  'authorization_response_iss_parameter_supported',
  'require_pushed_authorization_requests',
  'request_parameter_supported',
  'request_uri_parameter_supported',
  'claims_parameter_supported',
] as const

/**
 * @internal
 * The first member the SDK reads that has the wrong type: an endpoint that
 * is not an absolute URL where credentials may go (https:, or http: on
 * loopback or with `allowInsecure`), a list that is not a list of strings, a
 * flag that is not a boolean.
 *
 * @param document - The metadata (its `issuer` is the caller's to check).
 * @param allowInsecure - `allowInsecureRequests`; `undefined` skips the endpoints.
 * @returns The member's name and what it should be, or `undefined`.
 */
export function metadataProblem(
  document: Record<string, unknown>,
  allowInsecure: boolean | undefined,
): [name: string, expected: string] | undefined {
  if (allowInsecure !== undefined) {
    for (const name of ENDPOINTS) {
      const value = document[name]
      if (value === undefined) continue
      let url: URL | undefined
      try {
        url = typeof value === 'string' ? new URL(value) : undefined
      } catch {
        url = undefined
      }
      if (!url) return [name, 'an absolute URL']
      if (!isSecureUrl(url, allowInsecure)) return [name, 'an https: URL']
    }
  }
  for (const name of LISTS) {
    const value = document[name]
    if (
      value !== undefined &&
      !(Array.isArray(value) && value.every((v) => typeof v === 'string'))
    ) {
      return [name, 'a list of strings']
    }
  }
  for (const name of FLAGS) {
    const value = document[name]
    if (value !== undefined && typeof value !== 'boolean') return [name, 'true or false']
  }
  return undefined
}

/**
 * @internal
 * {@link metadataProblem} for a document a server sent: `InvalidResponseError` naming the member.
 */
export function checkMetadata(document: Record<string, unknown>, allowInsecure = false): void {
  const problem = metadataProblem(document, allowInsecure)
  if (problem) {
    throw new InvalidResponseError(`discovery: the document's ${problem[0]} is not ${problem[1]}`)
  }
}

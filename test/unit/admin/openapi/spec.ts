import examples from './examples.json' with { type: 'json' }

// Today's spec examples (management.yaml 5.1.0, extracted verbatim by
// scripts/extract-openapi-examples.py) and the repairs their evident defects
// need, shared by the admin client's model test and the local org's.

/** The extracted examples, operations and error examples. */
export const spec = examples

/** One request or success-response example of an operation. */
export interface Example {
  operationId: string
  kind: 'request' | 'response'
  status: number | null
  name: string
  value: unknown
}

/** The test org the `{yourOktaDomain}` placeholder becomes. */
export const ORG = 'https://example.okta.com'
/** The server id the `{authorizationServerId}` placeholder becomes. */
export const SERVER = 'ausain6z9zIedDCxB0h7'
/** The app of the app-grant operations. */
export const APP = '0oa1gjh63g214q0Hq0g4'

/** `{yourOktaDomain}` and `{authorizationServerId}` placeholders, as the test org's values. */
function placeholders(value: unknown): unknown {
  if (value === '{yourOktaDomain}') return ORG
  if (typeof value === 'string') {
    return value
      .replaceAll('{yourOktaDomain}', new URL(ORG).host)
      .replaceAll('{authorizationServerId}', SERVER)
  }
  if (Array.isArray(value)) return value.map(placeholders)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholders(v)]))
  }
  return value
}

/** The policy examples have keys with a stray quote (`clients"`, `include"`). */
function strayQuotes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strayQuotes)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.replace(/"$/, ''), strayQuotes(v)]),
    )
  }
  return value
}

/** The claim examples of single-claim operations are wrapped in a one-element list. */
function unwrap(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value
}

/** The repairs each example needed, by operation and example name (checked: each is needed). */
export const REPAIRS: Record<string, ((value: unknown) => unknown)[]> = {
  'grantConsentToScope/AppGrantsExample/request': [placeholders],
  'createAuthorizationServerPolicy/CreateAuthorizationServerPolicyRule/request': [strayQuotes],
  'replaceAuthorizationServerPolicy/UpdateAuthorizationServerPolicyRule/request': [strayQuotes],
  'createOAuth2Claim/CreateCustomTokenClaim/request': [unwrap],
  'createOAuth2Claim/CreateCustomTokenClaim/response': [unwrap],
  'getOAuth2Claim/RetrieveCustomTokenClaim/response': [unwrap],
  'replaceOAuth2Claim/ReplaceCustomTokenClaim/request': [unwrap],
  'replaceOAuth2Claim/ReplaceCustomTokenClaim/response': [unwrap],
}

/** `operationId/name/kind`. */
export const keyOf = (e: Example) => `${e.operationId}/${e.name}/${e.kind}`
/** The example's value after its repairs. */
export const repaired = (e: Example) =>
  (REPAIRS[keyOf(e)] ?? []).reduce((value, repair) => repair(value), e.value)

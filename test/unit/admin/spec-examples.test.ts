/**
 * The examples of today's spec (management.yaml, Okta Admin Management API
 * 5.1.0) for the clients, refresh tokens, associated servers,
 * resource-server keys, one signing key and app tokens, parsed through the
 * admin client's schemas: every response example is read, unknown fields
 * kept; every request example is checked against the input model, and
 * where the example contradicts the spec's own schema the test says so.
 * The examples are extracted by `test/fixtures/okta-management/extract.py`.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  AssociatedServersInputSchema,
  AuthorizationServerSchema,
  KeySchema,
  OAuth2ClientSchema,
  RefreshTokenSchema,
  ResourceServerKeyInputSchema,
  ResourceServerKeySchema,
} from '../../../src/admin/index.js'

interface Examples {
  source: string
  operations: Record<
    string,
    {
      method: string
      path: string
      request?: Record<string, unknown>
      responses: Record<string, Record<string, unknown>>
    }
  >
}

const SPEC: Examples = JSON.parse(
  readFileSync(new URL('../../fixtures/okta-management/examples.json', import.meta.url), 'utf8'),
)

/** The response schema of one item of each operation, and whether the operation answers a list. */
const RESPONSES: Record<string, { schema: z.ZodType; list: boolean }> = {
  listOAuth2ClientsForAuthorizationServer: { schema: OAuth2ClientSchema, list: true },
  listRefreshTokensForAuthorizationServerAndClient: { schema: RefreshTokenSchema, list: true },
  // Its example is a list of one token, though the operation answers one token.
  getRefreshTokenForAuthorizationServerAndClient: { schema: RefreshTokenSchema, list: false },
  listAssociatedServersByTrustedType: { schema: AuthorizationServerSchema, list: true },
  createAssociatedServers: { schema: AuthorizationServerSchema, list: true },
  listOAuth2ResourceServerJsonWebKeys: { schema: ResourceServerKeySchema, list: true },
  addOAuth2ResourceServerJsonWebKey: { schema: ResourceServerKeySchema, list: false },
  getOAuth2ResourceServerJsonWebKey: { schema: ResourceServerKeySchema, list: false },
  activateOAuth2ResourceServerJsonWebKey: { schema: ResourceServerKeySchema, list: false },
  deactivateOAuth2ResourceServerJsonWebKey: { schema: ResourceServerKeySchema, list: false },
  getAuthorizationServerKey: { schema: KeySchema, list: false },
  listOAuth2TokensForApplication: { schema: RefreshTokenSchema, list: true },
  getOAuth2TokenForApplication: { schema: RefreshTokenSchema, list: false },
}

const examples = Object.entries(SPEC.operations).flatMap(([operationId, op]) =>
  Object.entries(op.responses).flatMap(([status, byName]) =>
    Object.entries(byName).map(
      ([name, value]) => [`${operationId} ${status} ${name}`, operationId, value] as const,
    ),
  ),
)

/** The items of an example: the list's, or the one object. */
const itemsOf = (value: unknown) => (Array.isArray(value) ? value : [value])

describe(`the spec's examples (${SPEC.source}) through the response schemas`, () => {
  it('has examples for every operation it names, and a schema for each', () => {
    expect(Object.keys(SPEC.operations).sort()).toEqual(Object.keys(RESPONSES).sort())
    expect(examples.length).toBeGreaterThanOrEqual(Object.keys(RESPONSES).length)
  })

  it.each(examples)('%s parses, every field kept', (_, operationId, value) => {
    const { schema, list } = RESPONSES[operationId]!
    if (list) expect(Array.isArray(value)).toBe(true)
    for (const item of itemsOf(value)) {
      const parsed = schema.parse(item) as Record<string, unknown>
      // Nothing the example holds is dropped (the API grows: unknown fields stay).
      for (const [key, field] of Object.entries(item as Record<string, unknown>)) {
        expect(parsed[key], key).toEqual(field)
      }
    }
  })

  it("a server's client tokens spell clientId client_id in the examples: read as clientId", () => {
    const [token] = itemsOf(
      SPEC.operations.listRefreshTokensForAuthorizationServerAndClient!.responses['200']!
        .ListRefreshTokenClients,
    ) as { client_id: string }[]
    const parsed = RefreshTokenSchema.parse(token)
    expect(parsed.clientId).toBe(token!.client_id)
    expect(parsed.client_id).toBe(token!.client_id)
  })

  it('an app token example has the schema’s clientId and embedded scopes', () => {
    const example = SPEC.operations.getOAuth2TokenForApplication!.responses['200']!
      .getOAuth2TokenForApplicationExample as { clientId: string }
    const parsed = RefreshTokenSchema.parse(example)
    expect(parsed).toMatchObject({ clientId: example.clientId, status: 'ACTIVE' })
    expect(parsed._embedded?.scopes?.map((s) => s.name)).toContain('offline_access')
  })
})

describe(`the spec's request examples (${SPEC.source}) through the input models`, () => {
  it('add resource-server key: every field of the example is in the model', () => {
    const example = SPEC.operations.addOAuth2ResourceServerJsonWebKey!.request!
      .addOAuth2ResourceServerJsonWebKeyRequestBody as Record<string, unknown>
    // The example's modulus is elided ("AJncrzOrouIUCSMlRL0HU.....Kuine49_CEVR4GPn="):
    // the model refuses it, and only it.
    const elided = ResourceServerKeyInputSchema.safeParse(example)
    expect(elided.success).toBe(false)
    expect(elided.error?.issues.map((i) => i.path)).toEqual([['n']])
    // With a whole 2,048-bit modulus, the example is accepted as it is.
    const whole = { ...example, n: `w${'A'.repeat(341)}` }
    expect(ResourceServerKeyInputSchema.parse(whole)).toEqual(whole)
  })

  it('create associated servers: the schema’s { trusted: [ids] }, not the example’s list', () => {
    const example = SPEC.operations.createAssociatedServers!.request!.CreateAssocAuthServer as {
      trusted: string
    }[]
    // The example is `[{ trusted: id }]`; the schema (AssociatedServerMediated),
    // the official SDKs and the org take `{ trusted: [id] }`.
    expect(AssociatedServersInputSchema.safeParse(example).success).toBe(false)
    const ids = example.map((e) => e.trusted)
    expect(AssociatedServersInputSchema.parse({ trusted: ids })).toEqual({ trusted: ids })
  })
})

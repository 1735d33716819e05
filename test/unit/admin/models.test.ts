import { describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import {
  type AdminClient,
  type AppGrant,
  AppGrantInputSchema,
  AppGrantSchema,
  type AuthorizationServer,
  AuthorizationServerInputSchema,
  type AuthorizationServerKey,
  AuthorizationServerSchema,
  type Claim,
  type ClaimBody,
  type ClaimInput,
  ClaimInputSchema,
  ClaimSchema,
  KeyRotationInputSchema,
  KeySchema,
  LinksSchema,
  type Policy,
  PolicyInputSchema,
  type PolicyRule,
  type PolicyRuleBody,
  type PolicyRuleInput,
  PolicyRuleInputSchema,
  PolicyRuleSchema,
  PolicySchema,
  RequestValidationError,
  RuleConditionsSchema,
  type RuleTokenInput,
  RuleTokenInputSchema,
  RuleTokenSchema,
  type Scope,
  ScopeInputSchema,
  ScopeSchema,
  SigningCredentialsSchema,
} from '../../../src/admin/index.js'
import {
  APP_ID,
  AUTHORIZATION_SERVER,
  AUTHORIZATION_SERVER_API,
  CLAIMS,
  CREATE_CLAIM_BODY,
  CREATE_POLICY_BODY,
  CREATE_SCOPE_BODY,
  CREATE_SERVER_BODY,
  GRANT,
  GRANT_BODY,
  GROUPS_CLAIM_BODY,
  KEYS_RESPONSE,
  POLICY,
  REFERENCE_RULE,
  REFERENCE_RULE_READ,
  RULE,
  RULE_BODY,
  SCOPE,
  UPDATE_CLAIM_BODY,
  UPDATE_POLICY_BODY,
} from './fixtures.js'
import { ORG, record, rejectionOf, sswsClient } from './helpers.js'

/** A refusal: RequestValidationError naming the failing paths, and nothing sent. */
async function refused(
  call: (admin: AdminClient) => Promise<unknown>,
  paths: string[],
): Promise<Record<string, unknown>> {
  const seen = record()
  const err = await rejectionOf(call(sswsClient()))
  expect(err).toBeInstanceOf(RequestValidationError)
  expect(err).toMatchObject({ name: 'RequestValidationError', code: 'ERR_INVALID_REQUEST_BODY' })
  const issues = err.issues as { path: string; message: string }[]
  expect(issues.map((i) => i.path).sort()).toEqual([...paths].sort())
  for (const path of paths) expect(err.message).toContain(path)
  expect(seen).toHaveLength(0)
  return err
}

const rule = (token: RuleTokenInput): PolicyRuleInput => ({ ...RULE_BODY, actions: { token } })

describe('models: request bodies are refused before sending', () => {
  it.each([
    [4, 'access token lifetime must be at least 5 minutes'],
    [1441, 'access token lifetime must be at most 1 day'],
    [7.5, 'expected int'],
  ])('access token lifetime %s minutes', async (minutes, message) => {
    const err = await refused(
      (a) => a.policyRules.create('aus1', 'pol1', rule({ accessTokenLifetimeMinutes: minutes })),
      ['actions.token.accessTokenLifetimeMinutes'],
    )
    expect(err.message).toContain(message)
  })

  it('access token lifetimes of 5 and 1440 minutes are allowed', () => {
    for (const minutes of [5, 1440]) {
      expect(RuleTokenInputSchema.safeParse({ accessTokenLifetimeMinutes: minutes }).success).toBe(
        true,
      )
    }
  })

  it.each([
    [9, 'at least 10 minutes'],
    [2_628_001, 'at most 5 years'],
  ])('refresh token window %s minutes', async (minutes, message) => {
    const err = await refused(
      (a) =>
        a.policyRules.update('aus1', 'pol1', 'rul1', {
          name: 'r',
          conditions: {},
          actions: { token: { refreshTokenWindowMinutes: minutes } },
        }),
      ['actions.token.refreshTokenWindowMinutes'],
    )
    expect(err.message).toContain(message)
  })

  it('refresh token windows of 10, 129600 (the older 90-day limit) and 2628000 (5 years) minutes are allowed', () => {
    for (const minutes of [10, 129_600, 129_601, 2_628_000]) {
      expect(RuleTokenInputSchema.safeParse({ refreshTokenWindowMinutes: minutes }).success).toBe(
        true,
      )
    }
  })

  it('a refresh token lifetime shorter than the access token lifetime', async () => {
    await refused(
      (a) =>
        a.policyRules.create(
          'aus1',
          'pol1',
          rule({ accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 59 }),
        ),
      ['actions.token.refreshTokenLifetimeMinutes'],
    )
  })

  it('a refresh token lifetime of 0 (unlimited) or ≥ the access lifetime is allowed', () => {
    for (const refreshTokenLifetimeMinutes of [0, 60, 61]) {
      const result = RuleTokenInputSchema.safeParse({
        accessTokenLifetimeMinutes: 60,
        refreshTokenLifetimeMinutes,
      })
      expect(result.success).toBe(true)
    }
  })

  it("an audience with ':' that is not a URI", async () => {
    const err = await refused(
      (a) => a.authorizationServers.create({ ...CREATE_SERVER_BODY, audiences: ['my api:v1'] }),
      ['audiences.0'],
    )
    expect(err.message).toContain('must be a valid URI')
    await refused(
      (a) => a.authorizationServers.update('aus1', { name: 'n', audiences: [':nope'] }),
      ['audiences.0'],
    )
  })

  it('more than one audience (Okta supports one per server)', async () => {
    await refused(
      (a) =>
        a.authorizationServers.update('aus1', { name: 'n', audiences: ['api://a', 'api://b'] }),
      ['audiences'],
    )
  })

  it.each([
    'my api:v1',
    ':nope',
    '1api:x',
    'http://exa mple.com',
    'api:foo bar',
    'api:x|y',
    'api:%zz',
    'https://a.example/é',
    'http://[::1',
  ])('the audience %j is not a URI', (a) => {
    expect(AuthorizationServerInputSchema.safeParse({ name: 'n', audiences: [a] }).success).toBe(
      false,
    )
  })

  it.each([
    'api',
    'my api',
    'api:',
    'api://default',
    'https://test.com',
    'https://api.new-resource.com/v1?x=1#f',
    'urn:x:y',
    'https://a.example/%C3%A9',
  ])("the audience %j (no ':', or a valid URI) is allowed", (a) => {
    expect(AuthorizationServerInputSchema.safeParse({ name: 'n', audiences: [a] }).success).toBe(
      true,
    )
  })

  it('an empty name, for every kind of body', async () => {
    await refused(
      (a) => a.authorizationServers.create({ ...CREATE_SERVER_BODY, name: '' }),
      ['name'],
    )
    await refused((a) => a.policies.create('aus1', { ...CREATE_POLICY_BODY, name: '' }), ['name'])
    await refused((a) => a.policyRules.create('aus1', 'pol1', { ...RULE_BODY, name: '' }), ['name'])
    await refused((a) => a.scopes.create('aus1', { name: '' }), ['name'])
    await refused((a) => a.claims.create('aus1', { ...CREATE_CLAIM_BODY, name: '' }), ['name'])
  })

  it('token encryption: an http jwks_uri, two ACTIVE keys, an unknown algorithm', async () => {
    const server = { name: 'n', audiences: ['api://n'] }
    await refused(
      (a) => a.authorizationServers.create({ ...server, jwks_uri: 'http://keys.example/jwks' }),
      ['jwks_uri'],
    )
    const key = { kty: 'RSA' as const, e: 'AQAB', n: 'bW9k', status: 'ACTIVE' as const }
    await refused(
      (a) => a.authorizationServers.create({ ...server, jwks: { keys: [key, key] } }),
      ['jwks.keys'],
    )
    await refused(
      (a) =>
        a.authorizationServers.create({
          ...server,
          accessTokenEncryptedResponseAlgorithm: 'RSA1_5' as 'RSA-OAEP-256',
        }),
      ['accessTokenEncryptedResponseAlgorithm'],
    )
    await refused(
      (a) => a.authorizationServers.create({ ...server, issuerMode: 'CUSTOM' as 'DYNAMIC' }),
      ['issuerMode'],
    )
  })

  it('no audiences, a scope name with whitespace', async () => {
    await refused((a) => a.authorizationServers.create({ name: 'n', audiences: [] }), ['audiences'])
    await refused((a) => a.scopes.create('aus1', { name: 'car drive' }), ['name'])
  })

  it('a policy needs no description; an empty or long one, or a long name, is refused', async () => {
    expect(PolicyInputSchema.safeParse({ name: 'p' }).success).toBe(true)
    await refused((a) => a.policies.create('aus1', { name: 'p', description: '' }), ['description'])
    await refused(
      (a) => a.policies.create('aus1', { name: 'p', description: 'd'.repeat(256) }),
      ['description'],
    )
    await refused((a) => a.policies.create('aus1', { name: 'p'.repeat(101) }), ['name'])
    expect(
      PolicyInputSchema.safeParse({ name: 'p'.repeat(100), description: 'd'.repeat(255) }).success,
    ).toBe(true)
  })

  it("rotation with use 'enc' (only 'sig' is allowed), or with unknown fields", async () => {
    await refused((a) => a.keys.rotate('aus1', { use: 'enc' as 'sig' }), ['use'])
    await refused((a) => a.keys.rotate('aus1', { use: 'sig', kid: 'x' } as { use: 'sig' }), ['kid'])
  })

  it('a GROUPS claim without group_filter_type, an EXPRESSION claim with one', async () => {
    const groups: ClaimInput = {
      name: 'groups',
      claimType: 'IDENTITY',
      valueType: 'GROUPS',
      value: 'admins',
    }
    await refused((a) => a.claims.create('aus1', groups), ['group_filter_type'])
    await refused(
      (a) => a.claims.update('aus1', 'ocl1', { ...CREATE_CLAIM_BODY, group_filter_type: 'EQUALS' }),
      ['group_filter_type'],
    )
    await refused(
      (a) => a.claims.update('aus1', 'ocl1', { ...CREATE_CLAIM_BODY, groupFilterType: 'EQUALS' }),
      ['group_filter_type'],
    )
    // Either spelling is accepted; the body sent has today's.
    for (const filter of [
      { group_filter_type: 'STARTS_WITH' as const },
      { groupFilterType: 'STARTS_WITH' as const },
    ]) {
      expect(ClaimInputSchema.parse({ ...groups, ...filter })).toEqual({
        ...groups,
        group_filter_type: 'STARTS_WITH',
      })
    }
    // Both at once is ambiguous.
    await refused(
      (a) =>
        a.claims.create('aus1', {
          ...groups,
          group_filter_type: 'EQUALS',
          groupFilterType: 'EQUALS',
        }),
      ['groupFilterType'],
    )
  })

  it('a RESOURCE claim with alwaysIncludeInToken false (access token claims are always in)', async () => {
    await refused(
      (a) => a.claims.create('aus1', { ...CREATE_CLAIM_BODY, alwaysIncludeInToken: false }),
      ['alwaysIncludeInToken'],
    )
    // An ID token claim may be left out.
    expect(
      ClaimInputSchema.safeParse({
        ...CREATE_CLAIM_BODY,
        claimType: 'IDENTITY',
        alwaysIncludeInToken: false,
      }).success,
    ).toBe(true)
  })

  it('an app grant whose scopeId is not okta.*, or whose issuer is not a URL', async () => {
    await refused(
      (a) => a.appGrants.grant(APP_ID, { ...GRANT_BODY, scopeId: 'car:drive' }),
      ['scopeId'],
    )
    await refused(
      (a) => a.appGrants.grant(APP_ID, { ...GRANT_BODY, issuer: 'example' }),
      ['issuer'],
    )
  })

  it('lists every failing field at once', async () => {
    await refused(
      (a) =>
        a.policyRules.create('aus1', 'pol1', {
          name: '',
          actions: { token: { accessTokenLifetimeMinutes: 4, refreshTokenWindowMinutes: 9 } },
          conditions: { grantTypes: { include: ['magic' as 'password'] } },
        }),
      [
        'name',
        'actions.token.accessTokenLifetimeMinutes',
        'actions.token.refreshTokenWindowMinutes',
        'conditions.grantTypes.include.0',
      ],
    )
  })
})

describe('models: the reference examples validate', () => {
  it.each([
    ['authorization server (as printed)', AuthorizationServerSchema, AUTHORIZATION_SERVER],
    [
      'authorization server (as the API sends it)',
      AuthorizationServerSchema,
      AUTHORIZATION_SERVER_API,
    ],
    ['signing credentials', SigningCredentialsSchema, AUTHORIZATION_SERVER.credentials.signing],
    ['policy', PolicySchema, POLICY],
    ['rule', PolicyRuleSchema, RULE],
    ['rule conditions', RuleConditionsSchema, RULE.conditions],
    ['rule token', RuleTokenSchema, RULE.actions?.token],
    ['older rule conditions (scope objects)', RuleConditionsSchema, REFERENCE_RULE.conditions],
    ['scope', ScopeSchema, SCOPE],
    ['claim (alwaysIncludeInToken "TRUE")', ClaimSchema, CLAIMS[0]],
    ['key', KeySchema, KEYS_RESPONSE.keys[0]],
    ['app grant', AppGrantSchema, GRANT],
    ['links', LinksSchema, AUTHORIZATION_SERVER_API._links],
    ['create server body', AuthorizationServerInputSchema, CREATE_SERVER_BODY],
    ['create policy body', PolicyInputSchema, CREATE_POLICY_BODY],
    ['update policy body', PolicyInputSchema, UPDATE_POLICY_BODY],
    ['rule body', PolicyRuleInputSchema, RULE_BODY],
    ['GROUPS claim body', ClaimInputSchema, GROUPS_CLAIM_BODY],
    ['scope body', ScopeInputSchema, CREATE_SCOPE_BODY],
    ['claim body', ClaimInputSchema, CREATE_CLAIM_BODY],
    ['claim update body', ClaimInputSchema, UPDATE_CLAIM_BODY],
    ['rotation body', KeyRotationInputSchema, { use: 'sig' }],
    ['empty rotation body', KeyRotationInputSchema, {}],
    ['grant body', AppGrantInputSchema, GRANT_BODY],
  ] as const)('%s', (_, schema, value) => {
    const result = (schema as z.ZodType).safeParse(value)
    expect(result.error?.issues).toBeUndefined()
    // Unknown fields are kept, not stripped.
    expect(result.data).toEqual(value)
  })

  it('an older rule (top-level token) is read with its lifetimes in actions.token too', () => {
    expect(PolicyRuleSchema.parse(REFERENCE_RULE)).toEqual(REFERENCE_RULE_READ)
  })

  it('enums the API may extend accept new values', () => {
    expect(KeySchema.safeParse({ ...KEYS_RESPONSE.keys[0], status: 'RETIRED' }).success).toBe(true)
    expect(
      AuthorizationServerSchema.safeParse({ ...AUTHORIZATION_SERVER_API, status: 'SUSPENDED' })
        .success,
    ).toBe(true)
  })
})

describe('models: types', () => {
  it('operations resolve to the documented interfaces', () => {
    const admin = sswsClient()
    expectTypeOf(
      admin.authorizationServers.get,
    ).returns.resolves.toEqualTypeOf<AuthorizationServer>()
    expectTypeOf(admin.policies.get).returns.resolves.toEqualTypeOf<Policy>()
    expectTypeOf(admin.policyRules.get).returns.resolves.toEqualTypeOf<PolicyRule>()
    expectTypeOf(admin.scopes.get).returns.resolves.toEqualTypeOf<Scope>()
    expectTypeOf(admin.claims.get).returns.resolves.toEqualTypeOf<Claim>()
    expectTypeOf(admin.keys.list).returns.resolves.toEqualTypeOf<AuthorizationServerKey[]>()
    expectTypeOf(admin.appGrants.get).returns.resolves.toEqualTypeOf<AppGrant>()
    expectTypeOf(AuthorizationServerSchema).toEqualTypeOf<z.ZodType<AuthorizationServer>>()
    expectTypeOf<z.input<typeof ClaimInputSchema>>().toEqualTypeOf<ClaimInput>()
    expectTypeOf<z.output<typeof ClaimInputSchema>>().toEqualTypeOf<ClaimBody>()
    expectTypeOf<z.output<typeof PolicyRuleInputSchema>>().toEqualTypeOf<PolicyRuleBody>()
  })

  it('a response model keeps unknown fields in its type too', () => {
    expectTypeOf<AuthorizationServer['anything']>().toEqualTypeOf<unknown>()
    expectTypeOf<AuthorizationServer['name']>().toEqualTypeOf<string>()
    expectTypeOf<AuthorizationServer['status']>().toExtend<string | undefined>()
  })

  it('the org URL of a grant body is a plain string', () => {
    expectTypeOf(GRANT_BODY.issuer).toEqualTypeOf<string>()
    expect(GRANT_BODY.issuer).toBe(ORG)
  })
})

import { generateKeyPairSync } from 'node:crypto'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import * as adminEntry from '../../../src/admin/index.js'
import {
  type AdminClient,
  type PolicyRuleInput,
  RequestValidationError,
} from '../../../src/admin/index.js'
import { server } from '../msw.js'
import {
  APP_ID,
  CREATE_CLAIM_BODY,
  CREATE_POLICY_BODY,
  CREATE_SCOPE_BODY,
  CREATE_SERVER_BODY,
  GRANT_BODY,
  GROUPS_CLAIM_BODY,
  RULE_BODY,
} from './fixtures.js'
import { API, record, rejectionOf, sswsClient } from './helpers.js'

// Every input model is exact: a key it does not name is a typo the API would
// silently ignore (`token: { accessTokenLifetimeMinute: 5 }` keeps the
// default lifetime, `descripton` drops the description). Each is refused with
// a RequestValidationError naming the key, and nothing is sent.

/** A body with a typo, cast past the compiler as a caller in JavaScript (or with `any`) would. */
const typo = <T>(body: unknown) => body as T

type Call = (admin: AdminClient) => Promise<unknown>

const SERVER_ENCRYPTION = {
  ...CREATE_SERVER_BODY,
  accessTokenEncryptedResponseAlgorithm: 'RSA-OAEP-256',
  jwks: { keys: [{ kty: 'RSA', e: 'AQAB', n: 'abc', kid: 'enc1', use: 'enc', status: 'ACTIVE' }] },
}

const CASES: [string, Call, string][] = [
  // Authorization servers.
  [
    'authorizationServers.create: descripton',
    (a) => a.authorizationServers.create(typo({ ...CREATE_SERVER_BODY, descripton: 'Orders API' })),
    'descripton',
  ],
  [
    'authorizationServers.update: credentials.signing.rotationMod',
    (a) =>
      a.authorizationServers.update(
        'aus1',
        typo({ ...CREATE_SERVER_BODY, credentials: { signing: { rotationMod: 'MANUAL' } } }),
      ),
    'credentials.signing.rotationMod',
  ],
  [
    'authorizationServers.update: credential (for credentials)',
    (a) =>
      a.authorizationServers.update(
        'aus1',
        typo({ ...CREATE_SERVER_BODY, credential: { signing: { rotationMode: 'MANUAL' } } }),
      ),
    'credential',
  ],
  [
    'authorizationServers.create: a key of jwks with kidd',
    (a) =>
      a.authorizationServers.create(
        typo({
          ...SERVER_ENCRYPTION,
          jwks: { keys: [{ ...SERVER_ENCRYPTION.jwks.keys[0], kidd: 'x' }] },
        }),
      ),
    'jwks.keys.0.kidd',
  ],
  [
    'authorizationServers.create: jwks.key (for keys)',
    (a) => a.authorizationServers.create(typo({ ...CREATE_SERVER_BODY, jwks: { key: [] } })),
    'jwks.key',
  ],
  [
    'authorizationServers.update: credentials.signin',
    (a) =>
      a.authorizationServers.update(
        'aus1',
        typo({ ...CREATE_SERVER_BODY, credentials: { signin: { rotationMode: 'MANUAL' } } }),
      ),
    'credentials.signin',
  ],
  [
    'authorizationServers.create: jwksUri (for jwks_uri)',
    (a) =>
      a.authorizationServers.create(
        typo({ ...CREATE_SERVER_BODY, jwksUri: 'https://keys.example' }),
      ),
    'jwksUri',
  ],
  // Policies.
  [
    'policies.create: descripton',
    (a) => a.policies.create('aus1', typo({ ...CREATE_POLICY_BODY, descripton: 'd' })),
    'descripton',
  ],
  [
    'policies.update: conditions.client',
    (a) =>
      a.policies.update(
        'aus1',
        'pol1',
        typo({ ...CREATE_POLICY_BODY, conditions: { client: { include: ['ALL_CLIENTS'] } } }),
      ),
    'conditions.client',
  ],
  [
    'policies.create: conditions.clients.includes',
    (a) =>
      a.policies.create(
        'aus1',
        typo({ ...CREATE_POLICY_BODY, conditions: { clients: { includes: ['ALL_CLIENTS'] } } }),
      ),
    'conditions.clients.includes',
  ],
  // Rules.
  [
    'policyRules.create: actions.token.accessTokenLifetimeMinute',
    (a) =>
      a.policyRules.create(
        'aus1',
        'pol1',
        typo<PolicyRuleInput>({
          ...RULE_BODY,
          actions: { token: { accessTokenLifetimeMinute: 5 } },
        }),
      ),
    'actions.token.accessTokenLifetimeMinute',
  ],
  [
    'policyRules.update: token.accessTokenLifetimeMinute (the deprecated place is exact too)',
    (a) =>
      a.policyRules.update(
        'aus1',
        'pol1',
        'rul1',
        typo<PolicyRuleInput>({
          name: 'r',
          conditions: {},
          token: { accessTokenLifetimeMinute: 5 },
        }),
      ),
    'token.accessTokenLifetimeMinute',
  ],
  [
    'policyRules.create: actions.tokens',
    (a) =>
      a.policyRules.create(
        'aus1',
        'pol1',
        typo({ ...RULE_BODY, actions: { tokens: { accessTokenLifetimeMinutes: 5 } } }),
      ),
    'actions.tokens',
  ],
  [
    'policyRules.create: actions.token.inlineHook.name',
    (a) =>
      a.policyRules.create(
        'aus1',
        'pol1',
        typo({ ...RULE_BODY, actions: { token: { inlineHook: { id: 'cal1', name: 'x' } } } }),
      ),
    'actions.token.inlineHook.name',
  ],
  [
    'policyRules.create: prority',
    (a) => a.policyRules.create('aus1', 'pol1', typo({ ...RULE_BODY, prority: 1 })),
    'prority',
  ],
  [
    'policyRules.create: conditions.grantTypes.includes',
    (a) =>
      a.policyRules.create(
        'aus1',
        'pol1',
        typo({ ...RULE_BODY, conditions: { grantTypes: { includes: ['password'] } } }),
      ),
    'conditions.grantTypes.includes',
  ],
  [
    'policyRules.create: conditions.people.users.exlude',
    (a) =>
      a.policyRules.create(
        'aus1',
        'pol1',
        typo({ ...RULE_BODY, conditions: { people: { users: { exlude: ['00u1'] } } } }),
      ),
    'conditions.people.users.exlude',
  ],
  [
    'policyRules.create: conditions.grantType',
    (a) =>
      a.policyRules.create(
        'aus1',
        'pol1',
        typo({ ...RULE_BODY, conditions: { grantType: { include: ['password'] } } }),
      ),
    'conditions.grantType',
  ],
  [
    'policyRules.update: conditions.people.group',
    (a) =>
      a.policyRules.update(
        'aus1',
        'pol1',
        'rul1',
        typo({ ...RULE_BODY, conditions: { people: { group: { include: ['EVERYONE'] } } } }),
      ),
    'conditions.people.group',
  ],
  [
    'policyRules.create: conditions.scopes.exlude',
    (a) =>
      a.policyRules.create(
        'aus1',
        'pol1',
        typo({ ...RULE_BODY, conditions: { scopes: { include: ['*'], exlude: [] } } }),
      ),
    'conditions.scopes.exlude',
  ],
  // Scopes.
  [
    'scopes.create: displayname',
    (a) => a.scopes.create('aus1', typo({ ...CREATE_SCOPE_BODY, displayname: 'Drive' })),
    'displayname',
  ],
  [
    'scopes.update: metaDataPublish',
    (a) =>
      a.scopes.update(
        'aus1',
        'scp1',
        typo({ ...CREATE_SCOPE_BODY, metaDataPublish: 'ALL_CLIENTS' }),
      ),
    'metaDataPublish',
  ],
  // Claims.
  [
    'claims.create: groupfiltertype',
    (a) =>
      a.claims.create(
        'aus1',
        typo({ ...CREATE_CLAIM_BODY, valueType: 'GROUPS', groupfiltertype: 'EQUALS' }),
      ),
    'groupfiltertype',
  ],
  [
    'claims.update: conditions.scope',
    (a) =>
      a.claims.update('aus1', 'ocl1', typo({ ...GROUPS_CLAIM_BODY, conditions: { scope: [] } })),
    'conditions.scope',
  ],
  // Signing keys.
  ['keys.rotate: usage', (a) => a.keys.rotate('aus1', typo({ usage: 'sig' })), 'usage'],
  [
    'keys.rotateAndWait: body.usage',
    (a) => a.keys.rotateAndWait('aus1', { body: typo({ usage: 'sig' }) }),
    'usage',
  ],
  // App grants.
  [
    'appGrants.grant: scope (for scopeId)',
    (a) => a.appGrants.grant(APP_ID, typo({ issuer: GRANT_BODY.issuer, scope: 'okta.users.read' })),
    'scope',
  ],
]

describe('exact inputs: a typo in every input model is refused, and nothing is sent', () => {
  it.each(CASES)('%s', async (_, call, path) => {
    const seen = record()
    const err = await rejectionOf(call(sswsClient()))
    expect(err).toBeInstanceOf(RequestValidationError)
    expect(err).toMatchObject({ code: 'ERR_INVALID_REQUEST_BODY' })
    const issues = err.issues as { path: string; message: string }[]
    expect(issues).toContainEqual({ path, message: 'is not a field of this model (a typo?)' })
    expect(err.message).toContain(path)
    expect(seen).toHaveLength(0)
  })

  it('the same bodies without the typo are sent, exactly as checked', async () => {
    const seen = record()
    server.use(
      http.post(`${API}/authorizationServers`, async ({ request }) =>
        HttpResponse.json({ id: 'aus1', ...((await request.json()) as object) }),
      ),
    )
    await sswsClient().authorizationServers.create(SERVER_ENCRYPTION as never)
    expect(JSON.parse(await seen[0]!.text)).toEqual(SERVER_ENCRYPTION)
  })

  it('several typos are each named, with the other failures', async () => {
    const err = await rejectionOf(
      sswsClient().policies.create('aus1', typo({ name: '', descripton: 'd', prority: 1 })),
    )
    expect((err.issues as { path: string }[]).map((i) => i.path).sort()).toEqual([
      'descripton',
      'name',
      'prority',
    ])
  })
})

// A valid body of each input schema the admin entry exports (also those of
// operations added on other branches, skipped while not exported), so a new
// input model cannot be loose unnoticed.
const rsaModulus = (): string => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return publicKey.export({ format: 'jwk' }).n!
}
const VALID_BODIES: Record<string, () => unknown> = {
  AppGrantInputSchema: () => GRANT_BODY,
  AuthorizationServerInputSchema: () => SERVER_ENCRYPTION,
  ClaimInputSchema: () => GROUPS_CLAIM_BODY,
  KeyRotationInputSchema: () => ({ use: 'sig' }),
  PolicyInputSchema: () => CREATE_POLICY_BODY,
  PolicyRuleInputSchema: () => RULE_BODY,
  RuleTokenInputSchema: () => RULE_BODY.actions!.token,
  ScopeInputSchema: () => CREATE_SCOPE_BODY,
  AssociatedServersInputSchema: () => ({ trusted: ['aus6xt9jKPmCyn6kg0g4'] }),
  ResourceServerKeyInputSchema: () => ({ kty: 'RSA', e: 'AQAB', n: rsaModulus() }),
}

describe('exact inputs: every exported input schema', () => {
  const schemas = Object.entries(adminEntry).filter(([name]) => name.endsWith('InputSchema'))

  it('has a valid body here (a new input model gets one)', () => {
    expect(schemas.length).toBeGreaterThanOrEqual(8)
    expect(schemas.map(([name]) => name).filter((name) => !(name in VALID_BODIES))).toEqual([])
  })

  it.each(schemas)('%s accepts its valid body and refuses an unknown key', (name, schema) => {
    const body = VALID_BODIES[name]?.()
    const zod = schema as z.ZodType
    expect(zod.safeParse(body).success).toBe(true)
    const result = zod.safeParse({ ...(body as object), zzTypo: 1 })
    expect(result.success).toBe(false)
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['zzTypo'] }),
    )
  })
})

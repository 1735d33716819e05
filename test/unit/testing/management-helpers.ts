// Shared by the management API tests (management-*.test.ts): the org's
// clients, tokens, Okta error checks and a server that issues tokens.
import { expect } from 'vitest'
import { DEFAULT_CLIENTS, type OktaOrgOptions, type OrgClient } from '../../../src/testing/index.js'
import {
  type ApiAnswer,
  basic,
  MANAGEMENT_API,
  managementApi,
  postForm,
  WEB,
  WEB_SECRET,
} from './helpers.js'

export const ORG = 'https://example.okta.com'
export const API = MANAGEMENT_API

/** A service app with every authorization-server and app scope. */
export const ADMIN_APP: OrgClient = {
  clientId: '0oaadmin00000000000',
  clientSecret: 'admin-app-secret-that-is-long-enough-for-hs256',
  oktaScopes: [
    'okta.authorizationServers.read',
    'okta.authorizationServers.manage',
    'okta.apps.read',
    'okta.apps.manage',
    'okta.appGrants.read',
    'okta.appGrants.manage',
  ],
}
/** A service app whose admin role can only read: silent downscoping of `.manage`. */
export const READ_ONLY_ADMIN: OrgClient = {
  clientId: '0oareadonly000000000',
  clientSecret: 'read-only-secret-that-is-long-enough-for-hs256',
  oktaScopes: ['okta.authorizationServers.read', 'okta.authorizationServers.manage'],
  adminPermissions: ['okta.authorizationServers.read'],
}
export const CLIENTS: OrgClient[] = [...DEFAULT_CLIENTS, ADMIN_APP, READ_ONLY_ADMIN]
export const OPTIONS: OktaOrgOptions = { clients: CLIENTS }

export type Answer = ApiAnswer
export const api = managementApi

/** An access token of the org authorization server (client credentials). */
export async function orgToken(client: OrgClient, scope: string): Promise<string> {
  const response = await postForm(
    `${ORG}/oauth2/v1/token`,
    { grant_type: 'client_credentials', scope },
    basic(client.clientId, client.clientSecret!),
  )
  const body = (await response.json()) as { access_token?: string; error_description?: string }
  expect(body.access_token, body.error_description).toBeTruthy()
  return body.access_token!
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** A client-credentials token of a custom server for the default web app. */
export async function serverToken(
  issuer: string,
  scope: string,
): Promise<{ status: number; body: Record<string, string> }> {
  const response = await postForm(
    `${issuer}/v1/token`,
    { grant_type: 'client_credentials', scope },
    basic(WEB, WEB_SECRET),
  )
  return { status: response.status, body: (await response.json()) as Record<string, string> }
}

export function expectOktaError(answer: Answer, status: number, errorCode: string): void {
  expect(answer.status).toBe(status)
  expect(answer.body).toMatchObject({
    errorCode,
    errorLink: errorCode,
    errorCauses: expect.any(Array),
  })
  expect(answer.body.errorId).toMatch(/^oae\w{22}$/)
}

/** The `rel="next"` target of a Link header. */
export function nextLink(headers: Headers): string | undefined {
  return /<([^>]*)>;\s*rel="next"/.exec(headers.get('link') ?? '')?.[1]
}

let counter = 0
export const unique = (prefix: string) => `${prefix} ${++counter}`

export async function createServer(
  name = unique('Server'),
  audiences = ['api://created'],
): Promise<Answer> {
  const created = await api('POST', '/authorizationServers', {
    name,
    description: `${name} description`,
    audiences,
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created
}

/**
 * Give a server an access policy for every client with one rule for every
 * grant and scope (a created server has no policies, so it issues no tokens).
 */
export async function allowAll(id: string, token?: Record<string, number>): Promise<string> {
  const policy = await api('POST', `/authorizationServers/${id}/policies`, {
    type: 'OAUTH_AUTHORIZATION_POLICY',
    name: 'Everyone',
    description: 'All clients',
    conditions: { clients: { include: ['ALL_CLIENTS'] } },
  })
  expect(policy.status, JSON.stringify(policy.body)).toBe(201)
  const rule = await api('POST', `/authorizationServers/${id}/policies/${policy.body.id}/rules`, {
    type: 'RESOURCE_ACCESS',
    name: 'Any grant, any scope',
    conditions: {
      people: { groups: { include: ['EVERYONE'] } },
      grantTypes: {
        include: ['client_credentials', 'authorization_code', 'implicit', 'password'],
      },
      scopes: { include: ['*'] },
    },
    ...(token && { actions: { token } }),
  })
  expect(rule.status, JSON.stringify(rule.body)).toBe(201)
  return policy.body.id
}

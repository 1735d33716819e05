// A CommonJS project (`module: node16`, `.cts`) using every entry's types
// with library checks on: the package's .d.cts files must stand alone (they
// cannot import ESM-only packages such as jose or oauth4webapi).
// okta-oauth-kit/testing is left out: its types are msw's request handlers,
// and msw's own declarations import an ESM-only package (rettime), which
// fails this configuration with or without this package.
import type { Client, ServerMetadata, TokenSet } from 'okta-oauth-kit'
import type { AdminClient, AdminClientOptions } from 'okta-oauth-kit/admin'
import type { BrowserAuth } from 'okta-oauth-kit/browser'
import type { RedisClientLike, RedisCommands } from 'okta-oauth-kit/redis'
import type { ServerAuth } from 'okta-oauth-kit/server'
import type { JWK, JwksCache, Verifier } from 'okta-oauth-kit/verifier'

export type Everything = [
  Client,
  ServerMetadata,
  TokenSet,
  AdminClient,
  AdminClientOptions,
  BrowserAuth,
  ServerAuth,
  Verifier,
  JwksCache,
  JWK,
  RedisClientLike,
  RedisCommands,
]

const okta = require('okta-oauth-kit') as typeof import('okta-oauth-kit')
const verifier = require('okta-oauth-kit/verifier') as typeof import('okta-oauth-kit/verifier')
const redis = require('okta-oauth-kit/redis') as typeof import('okta-oauth-kit/redis')
export const create: [
  typeof okta.createClient,
  typeof verifier.createVerifier,
  typeof redis.createRedisSessionStore,
] = [okta.createClient, verifier.createVerifier, redis.createRedisSessionStore]

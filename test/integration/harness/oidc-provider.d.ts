/**
 * Minimal ambient types for `oidc-provider` v9, which ships no type definitions
 * (and `@types/oidc-provider` is not installed). Only the surface the test harness
 * touches is described; everything else is deliberately loose (`any`).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  type Loose = any

  /** Koa context decorated with `ctx.oidc` (only present on oidc-provider routes). */
  export interface KoaContextWithOIDC {
    oidc: OIDCContext
    method: string
    path: string
    query: Record<string, string | string[] | undefined>
    body: unknown
    status: number
    type: string
    get(header: string): string
    set(header: string, value: string): void
    [key: string]: Loose
  }

  export interface OIDCContext {
    readonly route: string
    readonly issuer: string
    readonly provider: Provider
    readonly params: Record<string, Loose>
    readonly client: ClientInstance | undefined
    readonly entities: Record<string, Loose>
    entity(key: string, value: unknown): void
    urlFor(name: string, opt?: Record<string, unknown>): string
    [key: string]: Loose
  }

  export interface ClientInstance {
    readonly clientId: string
    readonly clientAuthMethod: string
    readonly redirectUris: string[]
    grantTypeAllowed(grantType: string): boolean
    [key: string]: Loose
  }

  export interface AccountClaims {
    sub: string
    [claim: string]: unknown
  }

  export interface Account {
    accountId: string
    claims(
      use: string,
      scope: string,
      claims: Record<string, unknown>,
      rejected: string[],
    ): AccountClaims | Promise<AccountClaims>
  }

  /** oidc-provider adapter contract (see lib/adapters/memory_adapter.js). */
  export interface AdapterPayload {
    grantId?: string
    userCode?: string
    uid?: string
    consumed?: number
    jti?: string
    [key: string]: unknown
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>
    find(id: string): Promise<AdapterPayload | undefined>
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>
    findByUid(uid: string): Promise<AdapterPayload | undefined>
    consume(id: string): Promise<void>
    destroy(id: string): Promise<void>
    revokeByGrantId(grantId: string): Promise<void>
  }

  export interface ResourceServerInfo {
    scope: string
    audience?: string
    accessTokenTTL?: number
    accessTokenFormat?: 'opaque' | 'jwt'
    jwt?: { sign?: { alg?: string; kid?: string } }
  }

  export type Configuration = Record<string, Loose>

  export interface InteractionDetails {
    uid: string
    prompt: { name: string; reasons: string[]; details: Record<string, Loose> }
    params: Record<string, Loose>
    session?: { accountId: string; uid: string; [key: string]: Loose }
    grantId?: string
    returnTo: string
    [key: string]: Loose
  }

  export interface InteractionResults {
    login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean; ts?: number }
    consent?: { grantId?: string }
    error?: string
    error_description?: string
    [key: string]: unknown
  }

  export interface GrantInstance {
    jti: string
    accountId: string
    clientId: string
    addOIDCScope(scope: string | string[] | Set<string>): void
    addOIDCClaims(claims: string[]): void
    addResourceScope(resource: string, scope: string | string[] | Set<string>): void
    addRar(detail: unknown): void
    save(ttl?: number): Promise<string>
    [key: string]: Loose
  }

  export interface GrantStatic {
    new (properties: { accountId: string; clientId: string }): GrantInstance
    find(id: string, options?: { ignoreExpiration?: boolean }): Promise<GrantInstance | undefined>
  }

  export interface TokenInstance {
    jti: string
    scope?: string
    expiration: number
    tokenType: string
    resourceServer?: unknown
    claims?: unknown
    save(): Promise<string>
    [key: string]: Loose
  }

  export interface TokenStatic {
    new (properties: Record<string, unknown>): TokenInstance
    find(value: string, options?: Record<string, unknown>): Promise<TokenInstance | undefined>
  }

  export interface IdTokenInstance {
    scope?: string
    mask?: Record<string, unknown>
    rejected?: string[]
    set(claim: string, value: unknown): void
    issue(options: {
      use: 'idtoken' | 'userinfo' | 'logout' | 'introspection' | 'authorization'
    }): Promise<string>
  }

  export interface IdTokenStatic {
    new (claims: Record<string, unknown>, options: { ctx: KoaContextWithOIDC }): IdTokenInstance
  }

  export interface ResourceServerStatic {
    new (identifier: string, info: ResourceServerInfo): unknown
  }

  export type GrantTypeHandler = (
    ctx: KoaContextWithOIDC,
    next: () => Promise<void>,
  ) => Promise<void>
  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>

  export class Provider {
    constructor(issuer: string, configuration?: Configuration)
    readonly issuer: string
    proxy: boolean
    silent: boolean
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>
    use(middleware: Middleware): this
    on(event: string, listener: (...args: Loose[]) => void): this
    registerGrantType(
      name: string,
      handler: GrantTypeHandler,
      parameters?: string | string[] | Set<string>,
      allowedDuplicateParameters?: string | string[] | Set<string>,
    ): void
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>
    urlFor(name: string, options?: Record<string, unknown>): string

    readonly Grant: GrantStatic
    readonly AccessToken: TokenStatic
    readonly RefreshToken: TokenStatic
    readonly ClientCredentials: TokenStatic
    readonly IdToken: IdTokenStatic
    readonly ResourceServer: ResourceServerStatic
    readonly Client: {
      find(id: string): Promise<ClientInstance | undefined>
      Schema: { prototype: { invalidate(message: string, code?: string): void } }
    }
  }

  type OIDCErrorCtor = new (
    description?: string,
    detail?: string,
  ) => Error & {
    error: string
    error_description?: string
    status: number
  }

  export const errors: {
    OIDCProviderError: OIDCErrorCtor
    InvalidGrant: OIDCErrorCtor
    InvalidScope: OIDCErrorCtor
    InvalidRequest: OIDCErrorCtor
    InvalidTarget: OIDCErrorCtor
    InvalidClient: OIDCErrorCtor
    AccessDenied: OIDCErrorCtor
    [name: string]: OIDCErrorCtor
  }

  export default Provider
}

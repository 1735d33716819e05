import { CallbackError } from '../errors.js'
import { randomBase64url, sha256Base64url } from '../lib/base64url.js'
import type { AuthorizationTransaction } from '../oauth/authorization-request.js'
import type { Client } from '../oauth/client.js'
import { readCookies, type ServerRequest, serializeCookie } from './http.js'
import type { ServerSettings } from './options.js'
import { seal, unseal } from './seal.js'

// Sign-in transactions between login and callback: one sealed cookie per
// attempt, named after its state (several tabs may sign in at once), pruned
// when a browser holds too many (issue 14), and usable once: through the
// app's store when it has one, else through a memory of used ids.

/**
 * A transaction as the server keeps it between {@link ServerAuth.login} and
 * {@link ServerAuth.callback}: the core transaction (state, nonce, PKCE
 * verifier, redirect URI, …), where to go afterwards, and a one-use id.
 */
export interface ServerTransaction {
  /** A random id; a {@link ServerTransactionStore} keys the transaction by it. */
  id: string
  /** The core transaction from {@link Client.authorizationUrl}. */
  transaction: AuthorizationTransaction
  /** The same-origin path to send the user to after sign-in. */
  returnTo: string
}

/**
 * Where transactions live when not in the cookie itself, e.g. Redis or a
 * database shared by every instance of the app. `take` must get and delete
 * atomically: that is what makes a transaction usable once across processes.
 * Named for its entry: `./browser` has a {@link okta-oauth-kit/browser!BrowserTransactionStore} of its own.
 *
 * @example
 * ```ts
 * import type { ServerTransaction, ServerTransactionStore } from 'okta-oauth-kit/server'
 * declare const redis: {
 *   set(k: string, v: string, o: { PX: number }): Promise<unknown>
 *   getDel(k: string): Promise<string | null>
 * }
 * const store: ServerTransactionStore = {
 *   set: async (key, txn, ttlMs) => void (await redis.set(`txn:${key}`, JSON.stringify(txn), { PX: ttlMs })),
 *   take: async (key) => {
 *     const value = await redis.getDel(`txn:${key}`)
 *     return value === null ? undefined : (JSON.parse(value) as ServerTransaction)
 *   },
 * }
 * ```
 */
export interface ServerTransactionStore {
  /** Keep `txn` under `key` for `ttlMs` milliseconds. */
  set(key: string, txn: ServerTransaction, ttlMs: number): Promise<void> | void
  /** Return the transaction under `key` and delete it (one use); `undefined` if absent or expired. */
  take(key: string): Promise<ServerTransaction | undefined> | ServerTransaction | undefined
}

/**
 * The old name of {@link ServerTransactionStore}.
 *
 * @deprecated Use {@link ServerTransactionStore}: `./browser` exports a
 * different `TransactionStore` (now `BrowserTransactionStore`). Kept so that
 * code written against 0.1 still compiles; it will be removed in a major release.
 */
export type TransactionStore = ServerTransactionStore

/** The most transaction cookies may add to a `Cookie` header, in bytes. */
const MAX_PENDING_BYTES = 6 * 1024
/** Transaction cookies of a request looked at when pruning; an honest browser has at most a few. */
const MAX_EXAMINED = 32

/** @internal The transaction side of the helpers. */
export interface ServerTransactions {
  /**
   * Keep `transaction` (in the store, or in the cookie itself) and seal its
   * cookie; with the request, also the deletions of older pending sign-ins.
   */
  save(
    transaction: AuthorizationTransaction,
    returnTo: string,
    request: ServerRequest | string | undefined,
  ): Promise<string[]>
  /** Open, check and consume the transaction of `state`; throws `CallbackError`. */
  open(request: ServerRequest, state: string): Promise<ServerTransaction>
  /** The `Set-Cookie` value that deletes the transaction cookie of `state`. */
  clearCookie(state: string): Promise<string>
}

/** @internal The transactions of one {@link createServerAuth}. */
export function serverTransactions(settings: ServerSettings): ServerTransactions {
  const { keys, now, txnBase, txnAttrs, maxPending, transactionTtl, transactionStore } = settings
  const used = new UsedIds()

  const txnCookieName = async (state: string) =>
    `${txnBase}.${(await sha256Base64url(state)).slice(0, 16)}`
  const isTxnCookie = (name: string) =>
    name.startsWith(`${txnBase}.`) && /^[\w-]{16}$/.test(name.slice(txnBase.length + 1))

  /**
   * The transaction cookies of `request` to delete so that, with one more of
   * `adding` bytes, at most `maxPending` remain within MAX_PENDING_BYTES:
   * expired and foreign ones first, then the oldest (by `iat`, then by their
   * place in the header: browsers send older cookies first, RFC 6265 §5.4).
   */
  async function prune(request: ServerRequest | string, adding: number): Promise<string[]> {
    const found = [...readCookies(request)].filter(([name]) => isTxnCookie(name))
    const { transaction: key } = await keys()
    const t = now()
    const live: { name: string; bytes: number; iat: number; at: number }[] = []
    const drop: string[] = []
    for (const [at, [name, value]] of found.entries()) {
      if (at >= MAX_EXAMINED) break
      const opened = await unseal(value, key, 'transaction', t)
      const iat = opened.ok ? opened.payload.iat : undefined
      if (typeof iat === 'number')
        live.push({ name, bytes: name.length + value.length + 3, iat, at })
      else drop.push(name)
    }
    // Newest first; keep while both bounds hold with the new cookie counted.
    live.sort((a, b) => b.iat - a.iat || b.at - a.at)
    let count = 1
    let bytes = adding
    for (const cookie of live) {
      if (count < maxPending && bytes + cookie.bytes <= MAX_PENDING_BYTES) {
        count++
        bytes += cookie.bytes
      } else {
        drop.push(cookie.name)
      }
    }
    return drop.map((name) => serializeCookie(name, '', { ...txnAttrs, maxAge: 0 }))
  }

  async function save(
    transaction: AuthorizationTransaction,
    returnTo: string,
    request: ServerRequest | string | undefined,
  ): Promise<string[]> {
    const id = randomBase64url(16)
    const t = now()
    const record: ServerTransaction = { id, transaction, returnTo }
    let payload: Record<string, unknown>
    if (transactionStore) {
      await transactionStore.set(id, record, transactionTtl)
      payload = { jti: id, state: transaction.state }
    } else {
      payload = { jti: id, state: transaction.state, txn: record }
    }
    const { transaction: key } = await keys()
    const value = await seal(payload, key, 'transaction', t, t + transactionTtl)
    const name = await txnCookieName(transaction.state)
    const cookies = [serializeCookie(name, value, txnAttrs)]
    if (request !== undefined)
      cookies.push(...(await prune(request, name.length + value.length + 3)))
    return cookies
  }

  async function open(request: ServerRequest, state: string): Promise<ServerTransaction> {
    const cookies = readCookies(request)
    const name = await txnCookieName(state)
    const value = cookies.get(name)
    if (value === undefined) {
      const others = [...cookies.keys()].some((n) => n.startsWith(`${txnBase}.`))
      throw others
        ? new CallbackError('the response state matches none of the pending sign-ins', {
            code: 'ERR_STATE_MISMATCH',
            parameter: 'state',
          })
        : new CallbackError(
            'no sign-in transaction cookie came with the callback (expired, blocked, or sign-in not started here)',
            { code: 'ERR_TRANSACTION_MISSING', parameter: 'transaction' },
          )
    }
    const { transaction: key } = await keys()
    const t = now()
    const opened = await unseal(value, key, 'transaction', t)
    if (!opened.ok) {
      throw opened.reason === 'expired'
        ? new CallbackError('the sign-in transaction has expired', {
            code: 'ERR_TRANSACTION_EXPIRED',
            parameter: 'transaction',
          })
        : tampered()
    }
    const { jti, state: sealedState, exp } = opened.payload
    if (typeof jti !== 'string' || typeof sealedState !== 'string' || typeof exp !== 'number') {
      throw tampered()
    }
    if (sealedState !== state) {
      throw new CallbackError('the response state is not the transaction state', {
        code: 'ERR_STATE_MISMATCH',
        parameter: 'state',
      })
    }
    let record: ServerTransaction | undefined
    if (transactionStore) {
      record = await transactionStore.take(jti)
      if (record === undefined) {
        throw new CallbackError(
          'the sign-in transaction was already used (or is no longer stored)',
          { code: 'ERR_TRANSACTION_REUSED', parameter: 'transaction' },
        )
      }
    } else {
      if (!used.consume(jti, exp * 1000, t)) {
        throw new CallbackError('the sign-in transaction was already used', {
          code: 'ERR_TRANSACTION_REUSED',
          parameter: 'transaction',
        })
      }
      record = opened.payload.txn as ServerTransaction | undefined
    }
    if (
      typeof record !== 'object' ||
      record === null ||
      record.id !== jti ||
      typeof record.returnTo !== 'string' ||
      record.transaction?.state !== state
    ) {
      throw tampered()
    }
    return record
  }

  return {
    save,
    open,
    clearCookie: async (state) =>
      serializeCookie(await txnCookieName(state), '', { ...txnAttrs, maxAge: 0 }),
  }
}

function tampered(): CallbackError {
  return new CallbackError(
    'the sign-in transaction cookie is not valid for this app (forged or altered)',
    { code: 'ERR_TRANSACTION_TAMPERED', parameter: 'transaction' },
  )
}

/** A bounded memory of used transaction ids, forgotten once they expire. */
class UsedIds {
  readonly #ids = new Map<string, number>()

  consume(id: string, expiresAt: number, now: number): boolean {
    for (const [key, until] of this.#ids) {
      if (until > now) break
      this.#ids.delete(key)
    }
    if (this.#ids.has(id)) return false
    if (this.#ids.size >= 10_000) {
      const oldest = this.#ids.keys().next().value
      if (oldest !== undefined) this.#ids.delete(oldest)
    }
    this.#ids.set(id, expiresAt)
    return true
  }
}

import type { Adapter, AdapterPayload } from 'oidc-provider'

/**
 * In-memory storage for oidc-provider models, owned by one harness instance.
 *
 * Why not oidc-provider's bundled MemoryAdapter: every `new Provider()` gets its own private
 * store there, but signing-key rotation builds a *new* Provider, and codes, sessions, grants and
 * refresh tokens must survive that. One `HarnessStore` is shared by every Provider a harness
 * builds. No timers are used (expiry is checked lazily) so nothing keeps the event loop alive.
 */
export class HarnessStore {
  readonly #entries = new Map<
    string,
    { payload: AdapterPayload; expiresAt: number; grantId: string | undefined }
  >()
  /** grantId -> keys of the grantable artifacts (tokens, codes) issued under it */
  readonly #grants = new Map<string, Set<string>>()
  /** secondary indexes (`sessionUid:<uid>`, `userCode:<code>`) -> primary key */
  readonly #indexes = new Map<string, string>()

  get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= Date.now()) {
      this.delete(key)
      return undefined
    }
    return entry.payload
  }

  /** `grantId`, when given, links the entry to a grant so `revokeGrant()` removes it. */
  set(key: string, payload: AdapterPayload, expiresIn: number | undefined, grantId?: string): void {
    this.delete(key)
    const expiresAt =
      typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY
    this.#entries.set(key, { payload, expiresAt, grantId })
    if (grantId) {
      let members = this.#grants.get(grantId)
      if (!members) {
        members = new Set()
        this.#grants.set(grantId, members)
      }
      members.add(key)
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    if (entry.grantId) this.#grants.get(entry.grantId)?.delete(key)
    for (const [indexKey, target] of this.#indexes) {
      if (target === key) this.#indexes.delete(indexKey)
    }
  }

  index(indexKey: string, key: string): void {
    this.#indexes.set(indexKey, key)
  }

  lookup(indexKey: string): AdapterPayload | undefined {
    const key = this.#indexes.get(indexKey)
    return key === undefined ? undefined : this.get(key)
  }

  revokeGrant(grantId: string): void {
    const members = this.#grants.get(grantId)
    if (!members) return
    for (const key of [...members]) this.delete(key)
    this.#grants.delete(grantId)
  }

  /** Number of live (non-expired) entries; handy when debugging tests. */
  get size(): number {
    let n = 0
    for (const key of [...this.#entries.keys()]) if (this.get(key)) n += 1
    return n
  }
}

/** Only these models are indexed by grantId, mirroring oidc-provider's memory adapter. */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
])

class HarnessAdapter implements Adapter {
  readonly #model: string
  readonly #store: HarnessStore

  constructor(model: string, store: HarnessStore) {
    this.#model = model
    this.#store = store
  }

  #key(id: string): string {
    return `${this.#model}:${id}`
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const key = this.#key(id)
    // Store a copy: models mutate their own objects and must only persist through upsert().
    const copy = structuredClone(payload)
    // grantId on e.g. an Interaction is plain data, not ownership: only link grantable models.
    const grantId = GRANTABLE.has(this.#model) ? copy.grantId : undefined
    this.#store.set(key, copy, expiresIn, grantId)
    if (this.#model === 'Session' && typeof copy.uid === 'string') {
      this.#store.index(`sessionUid:${copy.uid}`, key)
    }
    if (typeof copy.userCode === 'string') {
      this.#store.index(`userCode:${copy.userCode}`, key)
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const found = this.#store.get(this.#key(id))
    return found === undefined ? undefined : structuredClone(found)
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const found = this.#store.lookup(`sessionUid:${uid}`)
    return found === undefined ? undefined : structuredClone(found)
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const found = this.#store.lookup(`userCode:${userCode}`)
    return found === undefined ? undefined : structuredClone(found)
  }

  async consume(id: string): Promise<void> {
    const found = this.#store.get(this.#key(id))
    if (found) found.consumed = Math.floor(Date.now() / 1000)
  }

  async destroy(id: string): Promise<void> {
    this.#store.delete(this.#key(id))
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.#store.revokeGrant(grantId)
  }
}

/**
 * oidc-provider accepts a (non-async) factory function as `adapter`; every model gets an adapter
 * bound to the same store.
 */
export function createAdapterFactory(store: HarnessStore): (model: string) => Adapter {
  return (model: string) => new HarnessAdapter(model, store)
}

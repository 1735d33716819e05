/**
 * Keeping JWKS across cold starts (serverless functions, edge workers):
 * a verifier's key cache can read its keys from a store before it fetches,
 * and writes them back after every fetch.
 *
 *   npx tsx examples/jwks-store/index.ts
 *
 * Everything runs locally: a JWKS endpoint on 127.0.0.1 (node:http) that
 * counts its requests, and tokens signed here with jose. The demo checks
 * every request count it claims and exits non-zero if one is off.
 */
import { createHash, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import {
  createJwksCache,
  createMemoryJwksStore,
  createVerifier,
  type JwksCacheEvent,
  type JwksSnapshot,
  type JwksStore,
} from 'okta-oauth-kit/verifier'

/**
 * A {@link JwksStore} on disk: one JSON file per `jwks_uri`. Writes go to a
 * temporary file that is then renamed over the old one, so a reader (another
 * instance starting at the same moment) sees the old snapshot or the new one,
 * never half a file. `settled()` waits for writes under way: the cache does not
 * wait for the store, so a function should await it before it is frozen.
 */
export function createFileJwksStore(
  dir: string,
): JwksStore & { settled(): Promise<void>; fileFor(jwksUri: string): string } {
  const pending = new Set<Promise<void>>()
  const fileOf = (jwksUri: string) =>
    join(dir, `jwks-${createHash('sha256').update(jwksUri).digest('hex').slice(0, 16)}.json`)
  return {
    async get(jwksUri) {
      try {
        return JSON.parse(await readFile(fileOf(jwksUri), 'utf8')) as JwksSnapshot
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error // reported as a store-error event; the cache fetches instead
      }
    },
    set(jwksUri, snapshot) {
      const file = fileOf(jwksUri)
      const temp = `${file}.${process.pid}.${randomUUID()}.tmp`
      const write = (async () => {
        try {
          await writeFile(temp, JSON.stringify(snapshot), { mode: 0o600 })
          await rename(temp, file)
        } catch (error) {
          await rm(temp, { force: true })
          throw error
        }
      })()
      pending.add(write)
      write.then(
        () => pending.delete(write),
        () => pending.delete(write),
      )
      return write
    },
    async settled() {
      await Promise.allSettled([...pending])
    },
    fileFor: fileOf,
  }
}

// --- a local authorization server's JWKS endpoint, and tokens signed with its keys ----------

interface SigningKey {
  kid: string
  privateKey: CryptoKey
  jwk: JWK
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  }
}

let published: SigningKey[] = [await newKey('key-1')]
let jwksRequests = 0
const server = createServer((req, res) => {
  if (req.url !== '/oauth2/default/v1/keys') {
    res.writeHead(404).end()
    return
  }
  jwksRequests++
  res.writeHead(200, {
    'content-type': 'application/json',
    'cache-control': 'public, max-age=300', // the cache honours this within its bounds
  })
  res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }))
})
server.listen(0, '127.0.0.1')
await once(server, 'listening')
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const issuer = `${origin}/oauth2/default`
const jwksUri = `${issuer}/v1/keys`
const audience = 'api://default'

/** An Okta-format access token (no `typ`, `scp` array, `cid`, `ver`). */
function sign(key: SigningKey, kid = key.kid): Promise<string> {
  return new SignJWT({ ver: 1, cid: 'orders-worker', scp: ['orders:read'] })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('orders-worker')
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey)
}

// --- the demo -------------------------------------------------------------------------------

let failures = 0
function check(ok: boolean, what: string): void {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`)
  if (!ok) failures++
}

function logEvents(name: string) {
  return (event: JwksCacheEvent) => {
    let text: string
    switch (event.type) {
      case 'fetch':
        text = event.ok
          ? `fetch (${event.reason}): ${event.keyCount} key(s) in ${event.durationMs} ms`
          : `fetch (${event.reason}) failed: ${event.error?.message}`
        break
      case 'rotation':
        text = `rotation: added [${event.added}] removed [${event.removed}]`
        break
      case 'import':
        text = `import from ${event.source}: ${event.used ? 'used' : 'ignored (stale or foreign)'}`
        break
      case 'unknown-kid':
        text = `unknown kid "${event.kid}": ${event.refetched ? 'refetching' : 'no refetch (cooldown / negative cache)'}`
        break
      case 'stale':
        text = `serving keys ${event.staleForMs} ms past their refresh time: ${event.error.message}`
        break
      case 'store-error':
        text = `store ${event.operation} failed: ${event.error.message}`
        break
    }
    console.log(`    [${name}] ${text}`)
  }
}

function verifierWith(name: string, jwks: { store?: JwksStore; snapshot?: JwksSnapshot }) {
  return createVerifier({
    issuer,
    audience,
    jwksUri, // skips discovery; with an issuer alone the verifier discovers jwks_uri
    jwks: { ...jwks, onEvent: logEvents(name) },
  })
}

const dir = await mkdtemp(join(tmpdir(), 'jwks-store-'))
try {
  const key1 = published[0]!
  const token1 = await sign(key1)
  console.log(`JWKS endpoint ${jwksUri} (Cache-Control: max-age=300)`)

  console.log('\n1. An in-memory store shared by two verifiers of one process')
  const memory = createMemoryJwksStore()
  const a = verifierWith('A', { store: memory })
  const b = verifierWith('B', { store: memory })
  await a.verifyAccessToken(token1)
  check(jwksRequests === 1, `verifier A fetched the keys: ${jwksRequests} JWKS request`)
  await b.verifyAccessToken(token1, { scopes: ['orders:read'] })
  check(jwksRequests === 1, `verifier B verified from the store: still ${jwksRequests} request`)

  console.log('\n2. A file store: the keys survive a cold start')
  console.log(`  store directory ${dir}`)
  jwksRequests = 0
  const firstStore = createFileJwksStore(dir)
  const first = verifierWith('cold start 1', { store: firstStore })
  await first.verifyAccessToken(token1)
  await firstStore.settled()
  console.log(`  wrote ${basename(firstStore.fileFor(jwksUri))}`)
  const snapshot = first.jwksCache()!.export()!
  check(
    jwksRequests === 1,
    `cold start 1 fetched once and wrote the file (${jwksRequests} request)`,
  )
  check(
    snapshot.expiresAt - snapshot.fetchedAt === 300_000,
    `fresh for ${(snapshot.expiresAt - snapshot.fetchedAt) / 1000} s: Cache-Control max-age, within [cacheMinAge 30 s, cacheMaxAge 10 min]`,
  )
  // A new process: a new store object, a new verifier, a new cache. Only the file is shared.
  const second = verifierWith('cold start 2', { store: createFileJwksStore(dir) })
  const result = await second.verifyAccessToken(token1)
  check(
    jwksRequests === 1 && result.format === 'okta',
    `cold start 2 verified (${result.format} format, kid ${result.header?.kid}) with no JWKS request`,
  )

  console.log('\n3. Key rotation, seen through onEvent')
  const key2 = await newKey('key-2')
  published = [key2, key1]
  const secondStore = createFileJwksStore(dir)
  const third = verifierWith('cold start 3', { store: secondStore })
  await third.verifyAccessToken(token1)
  check(jwksRequests === 1, 'cold start 3 verified an old-key token from the file')
  await third.verifyAccessToken(await sign(key2))
  await secondStore.settled()
  check(jwksRequests === 2, `a token signed by the new key: one refetch (${jwksRequests} requests)`)
  for (let i = 0; i < 2; i++) {
    const forged = await third.verifyAccessToken(await sign(key2, 'no-such-key')).catch((e) => e)
    check(forged.code === 'ERR_JWKS_NO_MATCHING_KEY', `a forged kid is refused (${forged.code})`)
  }
  check(jwksRequests === 2, `forged kids cost no request within the cooldown (${jwksRequests})`)
  const file = JSON.parse(await readFile(secondStore.fileFor(jwksUri), 'utf8')) as JwksSnapshot
  check(
    file.jwks.keys.map((k) => k.kid).join(',') === 'key-2,key-1',
    `the file now holds [${file.jwks.keys.map((k) => k.kid)}]`,
  )
  const fourth = verifierWith('cold start 4', { store: createFileJwksStore(dir) })
  await fourth.verifyAccessToken(await sign(key2))
  check(jwksRequests === 2, 'cold start 4 verified a new-key token from the file, no request')

  console.log('\n4. export() / import(): a snapshot bundled at deploy time, no store at all')
  const bundled = JSON.stringify(fourth.jwksCache()!.export())
  console.log(`  snapshot: ${bundled.length} bytes of JSON`)
  const fifth = verifierWith('bundled', { snapshot: JSON.parse(bundled) as JwksSnapshot })
  await fifth.verifyAccessToken(await sign(key2))
  check(jwksRequests === 2, 'verified from the bundled snapshot, no request')
  const cache = createJwksCache({ jwksUri })
  check(
    cache.import(JSON.parse(bundled)) && cache.jwks?.keys.length === 2,
    'cache.import(snapshot) adopted 2 keys',
  )
  const foreign = {
    ...(JSON.parse(bundled) as JwksSnapshot),
    jwksUri: 'https://elsewhere.example/keys',
  }
  check(!cache.import(foreign), 'a snapshot of another jwks_uri is refused')
} catch (error) {
  failures++
  console.error(error)
} finally {
  await rm(dir, { recursive: true, force: true })
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
console.log(failures === 0 ? '\nall checks passed' : `\n${failures} check(s) failed`)
process.exitCode = failures === 0 ? 0 : 1

/**
 * Shared by the benchmarks: RS256 keys, Okta-format access tokens, a JWKS
 * server on 127.0.0.1 that counts requests and can rotate, fail or stall, and
 * small statistics helpers. Everything is local; every wait is bounded.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg, totalmem, type } from 'node:os'

export const AUDIENCE = 'api://default'
export const SCOPE = 'orders:read'

/** An RS256 2048-bit signing key with its public JWK and PEM. */
export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  publicPem: string
  jwk: { kty: string; n: string; e: string; kid: string; alg: string; use: string }
}

/** Generate an RS256 2048-bit key named `kid`. */
export function generateKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string }
  return {
    kid,
    privateKey: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })),
    publicKey: createPublicKey(publicKey.export({ format: 'pem', type: 'spki' })),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    jwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' },
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** The base64url payload of a fresh Okta-format access token (see {@link signAccessToken}). */
export function accessTokenPayload(issuer: string): string {
  const iat = Math.floor(Date.now() / 1000)
  return b64({
    ver: 1,
    jti: `AT.${randomBytes(16).toString('base64url')}`,
    iss: issuer,
    aud: AUDIENCE,
    iat,
    exp: iat + 3600,
    cid: '0oa1b2c3d4e5f6g7h8i9',
    uid: '00u1b2c3d4e5f6g7h8i9',
    scp: ['openid', SCOPE],
    sub: `user${randomBytes(3).toString('hex')}@example.com`,
  })
}

/**
 * Sign an Okta-format access token (header `{alg, kid, typ: 'JWT'}`, claims
 * `ver`, `jti`, `iss`, `aud`, `iat`, `exp` (+1 h), `cid`, `uid`, `scp`, `sub`).
 * @param key - The signing key; `kid` overrides the header's key id (forged tokens).
 */
export function signAccessToken(key: SigningKey, issuer: string, kid = key.kid): string {
  const header = b64({ alg: 'RS256', kid, typ: 'JWT' })
  const payload = accessTokenPayload(issuer)
  const input = `${header}.${payload}`
  const signature = sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')
  return `${input}.${signature}`
}

/** Sign `count` distinct tokens. */
export function signMany(key: SigningKey, issuer: string, count: number): string[] {
  const out: string[] = []
  for (let i = 0; i < count; i++) out.push(signAccessToken(key, issuer))
  return out
}

/** How the JWKS server answers: normally, 503, by destroying the connection, or after a delay. */
export type ServerMode = 'up' | '503' | 'reset' | 'slow'

/** A JWKS (and discovery) server on 127.0.0.1 that counts requests. */
export interface JwksServer {
  readonly port: number
  /** `http://127.0.0.1:<port>/oauth2/default` */
  readonly issuer: string
  /** `${issuer}/v1/keys`, the URL Okta's verifier derives. */
  readonly jwksUri: string
  /** Requests to the key set so far. */
  readonly jwksRequests: number
  /** Requests to the discovery document so far. */
  readonly discoveryRequests: number
  /** Requests not yet answered (slow mode). */
  readonly inFlight: number
  /** Replace the published keys. */
  setKeys(keys: SigningKey[]): void
  /**
   * Change how it answers. `503` and `reset` apply to every path; `slow`
   * delays the key set only (by `slowMs`), not the discovery document.
   */
  setMode(mode: ServerMode, slowMs?: number): void
  /** Zero the counters. */
  resetCounts(): void
  /** Stop: drop pending replies and close every connection. */
  close(): Promise<void>
}

/** Start a JWKS server publishing `keys`. */
export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  let body = JSON.stringify({ keys: keys.map((k) => k.jwk) })
  let mode: ServerMode = 'up'
  let slowMs = 0
  let jwksRequests = 0
  let discoveryRequests = 0
  let inFlight = 0
  const timers = new Set<NodeJS.Timeout>()
  let issuer = ''

  const reply = (
    req: IncomingMessage,
    res: ServerResponse,
    send: () => void,
    canBeSlow: boolean,
  ) => {
    if (mode === '503') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable')
    } else if (mode === 'reset') {
      req.socket.destroy()
    } else if (mode === 'slow' && canBeSlow) {
      inFlight++
      const timer = setTimeout(() => {
        timers.delete(timer)
        inFlight--
        send()
      }, slowMs)
      timers.add(timer)
    } else {
      send()
    }
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]
    if (path === '/oauth2/default/v1/keys') {
      jwksRequests++
      reply(
        req,
        res,
        () => res.writeHead(200, { 'content-type': 'application/json' }).end(body),
        true,
      )
    } else if (path === '/oauth2/default/.well-known/openid-configuration') {
      discoveryRequests++
      const metadata = JSON.stringify({
        issuer,
        jwks_uri: `${issuer}/v1/keys`,
        authorization_endpoint: `${issuer}/v1/authorize`,
        token_endpoint: `${issuer}/v1/token`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      })
      reply(
        req,
        res,
        () => res.writeHead(200, { 'content-type': 'application/json' }).end(metadata),
        false,
      )
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  issuer = `http://127.0.0.1:${port}/oauth2/default`

  return {
    port,
    issuer,
    jwksUri: `${issuer}/v1/keys`,
    get jwksRequests() {
      return jwksRequests
    },
    get discoveryRequests() {
      return discoveryRequests
    },
    get inFlight() {
      return inFlight
    },
    setKeys(next) {
      body = JSON.stringify({ keys: next.map((k) => k.jwk) })
    },
    setMode(next, ms = 0) {
      mode = next
      slowMs = ms
    },
    resetCounts() {
      jwksRequests = 0
      discoveryRequests = 0
    },
    close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      return new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Resolve after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Settle `promise` or give up after `ms` (the result is then `'timeout'`). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Run `fn` with `console.warn` silenced (Okta's verifier warns when the HTTPS check is off). */
export function quietly<T>(fn: () => T): T {
  const warn = console.warn
  console.warn = () => {}
  try {
    return fn()
  } finally {
    console.warn = warn
  }
}

/** Format a number with thousands separators and `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
}

/** A Markdown table, columns padded as the formatter (Biome) lays them out. */
export function table(head: string[], rows: string[][]): string {
  const width = (cell: string) => [...cell].length
  const widths = head.map((h, i) => Math.max(3, width(h), ...rows.map((r) => width(r[i] ?? ''))))
  const pad = (cell: string, i: number) => cell + ' '.repeat(widths[i]! - width(cell))
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** The client id of the benchmark's ID tokens. */
export const CLIENT_ID = '0oa1b2c3d4e5f6g7h8i9'
/** The nonce every benchmark ID token carries. */
export const NONCE = 'n-0S6_WzA2Mj'

/**
 * Sign an Okta-format ID token for {@link CLIENT_ID} (header `{alg, kid}`,
 * claims `ver`, `sub`, `name`, `email`, `iss`, `aud`, `iat`, `exp` (+1 h),
 * `jti`, `amr`, `idp`, `nonce`, `auth_time`).
 */
export function signIdToken(key: SigningKey, issuer: string): string {
  const iat = Math.floor(Date.now() / 1000)
  const header = b64({ alg: 'RS256', kid: key.kid })
  const payload = b64({
    ver: 1,
    sub: `00u${randomBytes(8).toString('hex')}`,
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    iss: issuer,
    aud: CLIENT_ID,
    iat,
    exp: iat + 3600,
    jti: `ID.${randomBytes(16).toString('base64url')}`,
    amr: ['pwd'],
    idp: '00o1b2c3d4e5f6g7h8i9',
    nonce: NONCE,
    auth_time: iat - 5,
  })
  const input = `${header}.${payload}`
  const signature = sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')
  return `${input}.${signature}`
}

/**
 * Run `n` calls of `fn` with `callers` concurrent callers: each awaits its
 * call before taking the next index (`from`, `from + 1`, … shared by all).
 */
export async function concurrently(
  callers: number,
  n: number,
  from: number,
  fn: (i: number) => unknown,
): Promise<void> {
  let next = 0
  const caller = async () => {
    for (let i = next++; i < n; i = next++) await fn(from + i)
  }
  await Promise.all(Array.from({ length: callers }, caller))
}

/** Stop a benchmark: a contestant's verification failed. */
export function fail(what: string): never {
  throw new Error(`benchmark contestant failed: ${what}`)
}

/**
 * The first lines of a results file: title, date, Node and OpenSSL, CPU,
 * load, and the command that wrote it.
 */
export function resultsHeader(title: string, command: string): string {
  const cpu = cpus()
  return [
    `# ${title}`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Node: ${process.version} (OpenSSL ${process.versions.openssl}), ${type()} ${process.arch}`,
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length} logical cores; ${Math.round(totalmem() / 2 ** 30)} GiB`,
    loadLine(),
    `- Command: \`${command}\` (see \`bench/README.md\`)`,
    '',
  ].join('\n')
}

/** The machine's load: 1-minute load average and cores, for results files. */
export function loadLine(): string {
  const [one, five] = loadavg()
  return (
    `- Load: 1-min load average ${one!.toFixed(2)} (5-min ${five!.toFixed(2)}) on ${cpus().length} cores at the start` +
    (one! > cpus().length * 0.5
      ? ': **the machine was busy** (other processes ran alongside); absolute figures are low, and ratios between synchronous and thread-pool contestants (the floor, concurrent callers) move with the load either way, see bench/README.md'
      : '')
  )
}

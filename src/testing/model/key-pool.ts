import { exportJWK, generateKeyPair } from 'jose'
import type { JWK } from '../../lib/wire-types.js'

// Fresh RS256 key pairs for the org's signing keys, from a small pool per
// process. Generating a 2048-bit RSA key takes tens to hundreds of
// milliseconds, so an org does not generate its keys when it is created:
// each signing key takes its pair on first use (a signature, the key set),
// and the pool generates the next ones ahead, off the main thread (WebCrypto
// runs key generation on the thread pool), so a later key, or the keys of
// the next org of the process, are usually ready when they are needed.
//
// A pair is handed out once, never to a second key: two orgs of one
// process never share a key, so a token of one never verifies at another.

/** @internal A key pair of a signing key: its private key and public JWK (no `kid` yet). */
export interface KeyPair {
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
  readonly publicJwk: JWK
}

/** How many pairs the pool keeps generated ahead: a server's ACTIVE and NEXT key. */
const SPARES = 2

/** Spare pairs, the oldest first (generated, or being generated). */
const spares: Promise<KeyPair>[] = []
/** Whether a spare is being generated: one at a time, so none slows a pair that is awaited. */
let filling = false

/** @internal A fresh key pair, never handed out before; the pool then generates the next ones. */
export function takeKeyPair(): Promise<KeyPair> {
  const pair = spares.shift() ?? generate()
  fillKeyPool()
  return pair
}

/** @internal Have the pool generate its spare pairs, one after the other, in the background. */
export function fillKeyPool(): void {
  if (filling || spares.length >= SPARES) return
  filling = true
  const pair = generate()
  spares.push(pair)
  pair.then(
    () => {
      filling = false
      fillKeyPool()
    },
    // A failure surfaces to the key that takes the pair; the pool stops generating ahead.
    () => {
      filling = false
    },
  )
}

async function generate(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  return { privateKey, publicKey, publicJwk: await exportJWK(publicKey) }
}

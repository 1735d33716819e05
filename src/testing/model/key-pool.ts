import { generateRsaKeyPair, type RsaKeyPair } from './rsa.js'

// Fresh RS256 key pairs for the org's signing keys, from a small pool per
// process. Generating a 2048-bit RSA key takes tens to hundreds of
// milliseconds, so an org does not generate its keys when it is created:
// each signing key takes its pair on first use (a signature, the key set),
// and the pool generates the next ones ahead, off the main thread (key
// generation runs on the thread pool), one at a time, so a later key, or the
// keys of the next org of the process, are usually ready when needed.
//
// A pair is handed out once, never to a second key: two orgs of one
// process never share a key, so a token of one never verifies at another.

/** How many pairs the pool keeps generated ahead: a server's ACTIVE and NEXT key. */
const SPARES = 2

/** Spare pairs, the oldest first (generated, or being generated). */
const spares: Promise<RsaKeyPair>[] = []
/** Whether a spare is being generated: one at a time, so none slows a pair that is awaited. */
let filling = false

/** @internal A fresh key pair, never handed out before; the pool then generates the next ones. */
export function takeKeyPair(): Promise<RsaKeyPair> {
  const pair = spares.shift() ?? generateRsaKeyPair()
  fillKeyPool()
  return pair
}

/** @internal Have the pool generate its spare pairs, one after the other, in the background. */
export function fillKeyPool(): void {
  if (filling || spares.length >= SPARES) return
  filling = true
  const pair = generateRsaKeyPair()
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

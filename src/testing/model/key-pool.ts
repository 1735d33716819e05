import { generateRsaKeyPair, type RsaKeyPair } from './rsa.js'

// Fresh RS256 key pairs for the org's signing keys, from a small pool per
// process. Generating a 2048-bit RSA key takes tens to hundreds of
// milliseconds, so an org does not generate its keys when it is created:
// each signing key takes its pair on first use (a signature, the key set),
// and the pool generates the next ones ahead, off the main thread (key
// generation runs on the thread pool), so a later key, or the keys of the
// next org of the process, are usually ready when needed.
//
// A pair is handed out once, never to a second key: two orgs of one
// process never share a key, so a token of one never verifies at another.

/** How many pairs the pool keeps ahead, and generates at once: a server's ACTIVE and NEXT key. */
const SPARES = 2

/** Pairs generated and not handed out yet. */
const ready: RsaKeyPair[] = []
/** Keys waiting for a pair, served in order by the first generations to finish. */
const waiting: { resolve(pair: RsaKeyPair): void; reject(err: unknown): void }[] = []
/** Generations under way. */
let generating = 0

/**
 * @internal A fresh key pair, never handed out before: a spare one, or the
 * first generation under way to finish (a key's generation time varies a
 * lot, so the first of two usually comes much sooner than a given one).
 */
export function takeKeyPair(): Promise<RsaKeyPair> {
  const spare = ready.shift()
  const pair = spare
    ? Promise.resolve(spare)
    : new Promise<RsaKeyPair>((resolve, reject) => {
        waiting.push({ resolve, reject })
        if (generating < waiting.length) generate()
      })
  fillKeyPool()
  return pair
}

/**
 * @internal Have the pool generate its spare pairs in the background (at
 * most {@link SPARES} at once, so they never take every core).
 */
export function fillKeyPool(): void {
  while (generating < SPARES && ready.length + generating - waiting.length < SPARES) generate()
}

function generate(): void {
  generating++
  generateRsaKeyPair().then(
    (pair) => {
      generating--
      const waiter = waiting.shift()
      if (waiter) waiter.resolve(pair)
      else ready.push(pair)
      fillKeyPool()
    },
    // A failure goes to the key waiting longest, if any; the pool does not retry on its own.
    (err: unknown) => {
      generating--
      waiting.shift()?.reject(err)
    },
  )
}

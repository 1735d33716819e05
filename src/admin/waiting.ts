import { AbortError } from '../errors.js'

// Waiting that an abort ends: for a concurrency slot, between the key-set
// reads of `keys.rotateAndWait`. (The waits between retries are ky's.)

/** @internal Wait `ms`, or reject with `AbortError` when `signal` aborts. */
export function sleep(
  ms: number,
  signal: AbortSignal | undefined,
  operation: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError(`${operation} was aborted`, { cause: signal.reason }))
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(new AbortError(`${operation} was aborted`, { cause: signal?.reason }))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** @internal A counting semaphore: at most `size` holders; waiters are served in order. */
export class Semaphore {
  #free: number
  readonly #queue: (() => void)[] = []

  /** @param size - A positive integer (the `concurrency` option, checked in `normalize.ts`). */
  constructor(size: number) {
    this.#free = size
  }

  /** Take a slot, waiting in line; an abort while waiting leaves the line. */
  acquire(signal: AbortSignal | undefined, operation: string): Promise<void> {
    if (signal?.aborted) {
      return Promise.reject(new AbortError(`${operation} was aborted`, { cause: signal.reason }))
    }
    if (this.#free > 0) {
      this.#free--
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = () => {
        const i = this.#queue.indexOf(grant)
        if (i >= 0) this.#queue.splice(i, 1)
        reject(new AbortError(`${operation} was aborted`, { cause: signal?.reason }))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#queue.push(grant)
    })
  }

  /** Give the slot to the next in line, or free it. */
  release(): void {
    const next = this.#queue.shift()
    if (next) next()
    else this.#free++
  }
}

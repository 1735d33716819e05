import { appendFileSync } from 'node:fs'
import { basename } from 'node:path'
import { afterAll, afterEach, beforeEach, expect, type TestContext } from 'vitest'

// A tally of the calls made to Okta's official clients, so a run can say how
// many there are and how many pass. Wrap a client (or one of its API
// objects) in `counted()`: every method call is recorded with its outcome
// once its promise settles; a `Collection` of okta-sdk-nodejs (pages fetched
// while iterating) is recorded when its iteration ends, since that is where
// a page fails. `track()` records one call made through a plain function.
//
// A call passes when its test passes (a refusal the test expects, such as
// Okta's 404 for a deleted server, passes); a call made outside a test
// (`beforeAll`) passes when it resolves.
//
// With CONTRACT_TALLY=<file>, each test file appends one JSON line to that
// file: `{ file, calls, passed, resolved, failed: [labels] }`.

type Task = TestContext['task']

interface Call {
  label: string
  /** `true` resolved, `false` rejected or threw, `undefined` still running. */
  ok: boolean | undefined
  /** The test that made it. */
  task: Task | undefined
  /** Whether it passes, once its test is over. */
  passed?: boolean
}

const calls: Call[] = []
let current: Task | undefined

beforeEach(({ task }) => {
  current = task
})

afterEach(({ task }) => {
  const failed = task.result?.state === 'fail' || (task.result?.errors?.length ?? 0) > 0
  for (const call of calls) if (call.task === task) call.passed = !failed && call.ok !== undefined
  current = undefined
})

function record(label: string): Call {
  const call: Call = { label, ok: undefined, task: current }
  calls.push(call)
  return call
}

function isCollection(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { next?: unknown }).next === 'function' &&
    Symbol.asyncIterator in value
  )
}

/** A Collection whose iteration settles the call. */
function settledByIteration<T extends AsyncIterable<unknown>>(collection: T, call: Call): T {
  return new Proxy(collection, {
    get(target, prop) {
      if (prop !== Symbol.asyncIterator) return Reflect.get(target, prop, target)
      return () => {
        const it = target[Symbol.asyncIterator]()
        return {
          async next() {
            try {
              const step = await it.next()
              if (step.done) call.ok ??= true
              return step
            } catch (err) {
              call.ok = false
              throw err
            }
          },
          [Symbol.asyncIterator]() {
            return this
          },
        }
      }
    },
  })
}

function settle(result: unknown, call: Call): unknown {
  if (!(result instanceof Promise)) {
    call.ok = true
    return result
  }
  return result.then(
    (value) => {
      if (isCollection(value)) return settledByIteration(value, call)
      call.ok = true
      return value
    },
    (err) => {
      call.ok = false
      throw err
    },
  )
}

/**
 * Record every method call on an official client's object.
 * @param name - A prefix for the labels (`okta-sdk-nodejs SSWS`).
 * @param target - The object whose methods the test calls.
 */
export function counted<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t)
      if (typeof value !== 'function' || typeof prop !== 'string') return value
      return (...args: unknown[]) => {
        const call = record(`${name} ${prop}`)
        try {
          return settle(value.apply(t, args), call)
        } catch (err) {
          call.ok = false
          throw err
        }
      }
    },
  })
}

/**
 * Record one official-client call made through a plain function.
 * @param label - What is called.
 * @param fn - The call.
 * @returns What it returns.
 */
export function track<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const call = record(label)
  return settle(fn(), call) as Promise<T>
}

afterAll(() => {
  const file = process.env.CONTRACT_TALLY
  if (!file) return
  const path = expect.getState().testPath ?? 'unknown'
  const passed = (c: Call) => c.passed ?? c.ok === true
  appendFileSync(
    file,
    `${JSON.stringify({
      file: basename(path),
      calls: calls.length,
      passed: calls.filter(passed).length,
      resolved: calls.filter((c) => c.ok === true).length,
      failed: calls.filter((c) => !passed(c)).map((c) => c.label),
    })}\n`,
  )
})

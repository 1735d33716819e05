import { describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../../../src/errors.js'
import { checkReturnTo, isSameOriginPath } from '../../../src/lib/return-to.js'
import { HOSTILE_RETURN_TO, SAFE_RETURN_TO } from './return-to-cases.js'

const ORIGIN = 'https://app.example.com'

describe('isSameOriginPath / checkReturnTo', () => {
  it.each(HOSTILE_RETURN_TO)('refuses %s', (_why, value) => {
    expect(isSameOriginPath(value, ORIGIN)).toBe(false)
    let thrown: unknown
    try {
      checkReturnTo(value, ORIGIN)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(InvalidOptionError)
    expect(thrown).toMatchObject({ code: 'ERR_INVALID_OPTION' })
    // The message never quotes the value.
    if (typeof value === 'string' && value.length > 3) {
      expect((thrown as Error).message).not.toContain(value)
    }
  })

  it.each(SAFE_RETURN_TO)('keeps %j unchanged, and it resolves to the origin', (value) => {
    expect(isSameOriginPath(value, ORIGIN)).toBe(true)
    expect(checkReturnTo(value, ORIGIN)).toBe(value)
    expect(new URL(value, ORIGIN).origin).toBe(ORIGIN)
  })

  it('decides against the origin given (any URL of it), and refuses everything against no origin', () => {
    expect(isSameOriginPath('/x', 'http://127.0.0.1:3000/callback')).toBe(true)
    expect(isSameOriginPath('/x', 'null')).toBe(false)
    expect(isSameOriginPath('/x', '')).toBe(false)
  })
})

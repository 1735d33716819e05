import type * as z from 'zod'

// A request body the models refuse is described in the SDK's own words: zod's
// default wording is another library's (and may change with it). Passed to
// `safeParse` as its error map, this yields only where a model gives no
// message of its own (`.min(5, 'access token lifetime must be …')` stays), and
// it never quotes the input.

const UNITS: Record<string, string> = {
  string: ' characters',
  array: ' items',
  set: ' items',
  file: ' bytes',
}

/** @internal A zod issue in the SDK's words, without the input value. */
export const describeIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `is required (expected ${issue.expected})`
        : `expected ${issue.expected}`
    case 'too_small': {
      const unit = UNITS[issue.origin] ?? ''
      if (issue.exact) return `must have exactly ${issue.minimum}${unit}`
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}${unit}`
    }
    case 'too_big': {
      const unit = UNITS[issue.origin] ?? ''
      if (issue.exact) return `must have exactly ${issue.maximum}${unit}`
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}${unit}`
    }
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'invalid_format':
      return `is not a valid ${issue.format}`
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`
    case 'unrecognized_keys':
      return 'has fields the model does not allow'
    case 'invalid_union':
      return 'matches none of the allowed shapes'
    case 'invalid_key':
      return 'has an invalid key'
    case 'invalid_element':
      return 'has an invalid element'
    default:
      return 'is invalid'
  }
}

// Issue 19: the types ./browser shared a name with ./server are named for
// their entry; the old names stay as deprecated aliases of the same types.
import { describe, expectTypeOf, it } from 'vitest'
import {
  type BrowserAuth,
  type BrowserRedirectResult,
  type BrowserTransactionStore,
  createTransactionStore,
  type RedirectResult,
  type TransactionStore,
} from '../../../src/browser/index.js'

describe('./browser names', () => {
  it('RedirectResult is BrowserRedirectResult, TransactionStore is BrowserTransactionStore', () => {
    expectTypeOf<RedirectResult>().toEqualTypeOf<BrowserRedirectResult>()
    expectTypeOf<TransactionStore>().toEqualTypeOf<BrowserTransactionStore>()
    expectTypeOf<BrowserAuth['handleRedirect']>().returns.toEqualTypeOf<
      Promise<BrowserRedirectResult>
    >()
    expectTypeOf(createTransactionStore).returns.toEqualTypeOf<BrowserTransactionStore>()
  })
})

// Issue 19: the types ./server shared a name with ./browser are named for
// their entry; the old names stay as deprecated aliases of the same types.
import { describe, expectTypeOf, it } from 'vitest'
import type {
  RedirectResult,
  ServerRedirect,
  ServerTransaction,
  ServerTransactionStore,
  TransactionStore,
} from '../../../src/server/index.js'

describe('./server names', () => {
  it('RedirectResult is ServerRedirect, TransactionStore is ServerTransactionStore', () => {
    expectTypeOf<RedirectResult>().toEqualTypeOf<ServerRedirect>()
    expectTypeOf<TransactionStore>().toEqualTypeOf<ServerTransactionStore>()
    expectTypeOf<ServerTransactionStore['take']>().returns.toEqualTypeOf<
      Promise<ServerTransaction | undefined> | ServerTransaction | undefined
    >()
  })
})

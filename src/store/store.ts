import { createAccountsRepository } from './accounts-repository.js'
import { createCustomersRepository } from './customers-repository.js'
import { openDatabase, type Db } from './database.js'
import { createDeliveriesRepository } from './deliveries-repository.js'
import { createEventsRepository } from './events-repository.js'
import { createGroupCommit } from './group-commit.js'
import { migrate } from './migrate.js'
import { createMockStateRepository } from './mock-state-repository.js'
import { createPursesRepository } from './purses-repository.js'
import { createResetStatements } from './reset-statements.js'
import { createSubscriptionsRepository } from './subscriptions-repository.js'
import { createTransactionsRepository } from './transactions-repository.js'

/** The database handle and one repository per table, built once per app. */
export function createStore (db: Db) {
  return {
    db: db as Db,
    accounts: createAccountsRepository(db),
    customers: createCustomersRepository(db),
    purses: createPursesRepository(db),
    transactions: createTransactionsRepository(db),
    subscriptions: createSubscriptionsRepository(db),
    events: createEventsRepository(db),
    deliveries: createDeliveriesRepository(db),
    mockState: createMockStateRepository(db),
    deleteData: createResetStatements(db),
    /** Runs `work` in one synchronous SQLite transaction. */
    transaction: <T>(work: () => T): T => db.transaction(work)(),
    /** Runs `work` in the next group commit; resolves once it is committed. Requests that write use this. */
    write: createGroupCommit(db)
  }
}

export type Store = ReturnType<typeof createStore>

export function openStore (path: string): Store {
  const db = openDatabase(path)
  try {
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  return createStore(db)
}

import { createAccountsRepository } from './accounts-repository.js'
import { createClocksRepository } from './clocks-repository.js'
import { createCommitLog } from './commit-log.js'
import { createCustomersRepository } from './customers-repository.js'
import { openDatabase, type Db, type Synchronous } from './database.js'
import { createDeliveriesRepository } from './deliveries-repository.js'
import { createEventsRepository } from './events-repository.js'
import { createGroupCommit } from './group-commit.js'
import { migrate, readMigrations, refuseForeignDatabase } from './migrate.js'
import { createMockStateRepository } from './mock-state-repository.js'
import { createPursesRepository } from './purses-repository.js'
import { createResetStatements } from './reset-statements.js'
import { createSnapshotsRepository } from './snapshots-repository.js'
import { createSubscriptionsRepository } from './subscriptions-repository.js'
import { createTransactionsRepository } from './transactions-repository.js'

/** The database handle and one repository per table, built once per app. */
export function createStore (db: Db) {
  const log = createCommitLog(db)
  return {
    db: db as Db,
    accounts: createAccountsRepository(db, log),
    customers: createCustomersRepository(db, log),
    purses: createPursesRepository(db, log),
    transactions: createTransactionsRepository(db),
    subscriptions: createSubscriptionsRepository(db, log),
    events: createEventsRepository(db, log),
    deliveries: createDeliveriesRepository(db, log),
    mockState: createMockStateRepository(db),
    clocks: createClocksRepository(db, log),
    snapshots: createSnapshotsRepository(db, log),
    deleteData: createResetStatements(db, log),
    /** Runs `work` in one synchronous SQLite transaction (a savepoint inside another). */
    transaction: log.transaction,
    /** Runs `work` in the next group commit; resolves once it is committed. Requests that write use this. */
    write: createGroupCommit(db, log),
    /** The on-commit hook: `listener` hears what each committed transaction changed. */
    onCommit: log.onCommit
  }
}

export type Store = ReturnType<typeof createStore>

export function openStore (path: string, synchronous?: Synchronous): Store {
  const db = openDatabase(path, synchronous)
  try {
    const migrations = readMigrations()
    refuseForeignDatabase(db, path, migrations)
    migrate(db, migrations)
  } catch (err) {
    db.close()
    throw err
  }
  return createStore(db)
}

import type { CommitLog } from './commit-log.js'
import type { Db } from './database.js'

export interface SnapshotSummary {
  name: string
  account: string
  createdDate: string
  customers: number
  transactions: number
  deliveries: number
}

interface CopiedTable {
  name: string
  /** The account's rows of this table, as a condition on the table's own columns. */
  scope: string
  /** What finds a row again: never changed once the row exists. */
  key: readonly string[]
  /**
   * A row number left out when a row is put back: the old one may belong to another account's
   * row by then (only AUTOINCREMENT ids are never handed out twice). Rows put back get new numbers
   * in their old order; nothing outside the store reads them.
   */
  renumbered?: string
  /** Rows that are written once and never updated: a restore only deletes and inserts them. */
  writeOnce?: boolean
}

/** The tables a snapshot copies, parents first. */
const TABLES: readonly CopiedTable[] = [
  // The test clock's offset: no row is an offset of 0.
  { name: 'account_clocks', scope: 'account = @account', key: ['account'] },
  { name: 'customers', scope: 'account = @account', key: ['id'], renumbered: 'seq' },
  { name: 'purses', scope: 'account = @account', key: ['id'], renumbered: 'seq' },
  { name: 'transactions', scope: 'account = @account', key: ['id'], renumbered: 'seq' },
  // Deliveries name their subscription by seq, so a subscription keeps its seq when it is free.
  { name: 'subscriptions', scope: 'account = @account', key: ['seq'] },
  { name: 'events', scope: 'account = @account', key: ['id'], writeOnce: true },
  { name: 'deliveries', scope: 'event_id IN (SELECT id FROM events WHERE account = @account)', key: ['id'] },
  {
    name: 'delivery_attempts',
    scope: 'delivery_id IN (SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id WHERE e.account = @account)',
    key: ['delivery_id', 'number'],
    renumbered: 'id',
    writeOnce: true
  }
]

function columnsOf (db: Db, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name)
}

/** Where a copied table and its snapshot_ twin (less snapshot_id) no longer have the same columns. */
export function snapshotColumnDrift (db: Db): string[] {
  return TABLES.flatMap(({ name }) => {
    const live = columnsOf(db, name).join(', ')
    const copy = columnsOf(db, `snapshot_${name}`).filter((c) => c !== 'snapshot_id').join(', ')
    return live === copy ? [] : [`snapshot_${name} has (${copy}), ${name} has (${live})`]
  })
}

/** The statements that save one table and bring it back: delete what is new, update what changed, insert what is gone. */
function tableStatements (db: Db, table: CopiedTable) {
  const { name, scope, key, renumbered, writeOnce } = table
  const columns = columnsOf(db, name)
  const all = columns.join(', ')
  const inserted = columns.filter((c) => c !== renumbered)
  const compared = inserted.filter((c) => !key.includes(c))
  const sameKey = (live: string) => key.map((k) => `s.${k} = ${live}.${k}`).join(' AND ')
  const inSnapshot = `SELECT 1 FROM snapshot_${name} s WHERE s.snapshot_id = @snapshotId AND ${sameKey(name)}`
  const accountScope = scope.replace(/^(\w+)/, `${name}.$1`)
  return {
    save: db.prepare(`INSERT INTO snapshot_${name} (snapshot_id, ${all}) SELECT @snapshotId, ${all} FROM ${name} WHERE ${scope}`),
    deleteNew: db.prepare(`DELETE FROM ${name} WHERE ${scope} AND NOT EXISTS (${inSnapshot})`),
    updateChanged: writeOnce === true
      ? undefined
      : db.prepare(`UPDATE ${name} SET ${compared.map((c) => `${c} = s.${c}`).join(', ')}
          FROM snapshot_${name} s
          WHERE s.snapshot_id = @snapshotId AND ${sameKey(name)} AND ${accountScope}
            AND NOT (${compared.map((c) => `${name}.${c} IS s.${c}`).join(' AND ')})`),
    insertGone: db.prepare(`INSERT INTO ${name} (${inserted.join(', ')})
      SELECT ${inserted.map((c) => name === 'deliveries' && c === 'subscription_seq' ? 'coalesce(json_extract(@movedSubscriptions, \'$."\' || s.subscription_seq || \'"\'), s.subscription_seq)' : `s.${c}`).join(', ')}
      FROM snapshot_${name} s
      WHERE s.snapshot_id = @snapshotId AND NOT EXISTS (SELECT 1 FROM ${name} l WHERE ${sameKey('l')})
      ORDER BY ${renumbered === undefined ? key.map((k) => `s.${k}`).join(', ') : `s.${renumbered}`}`)
  }
}

/** Named copies of one account's customers, purses, transactions, subscriptions, events and deliveries. */
export function createSnapshotsRepository (db: Db, log: CommitLog) {
  const insertSnapshot = db.prepare<[{ account: string, name: string, now: string }], { id: number }>(
    'INSERT INTO snapshots (account, name, created_at) VALUES (@account, @name, @now) RETURNING id')
  const find = db.prepare<[string, string], { id: number }>('SELECT id FROM snapshots WHERE account = ? AND name = ?')
  const remove = db.prepare<[number]>('DELETE FROM snapshots WHERE id = ?')
  const countOf = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM snapshots WHERE account = ?')
  const list = db.prepare<[string], { name: string, account: string, created_at: string, customers: number, transactions: number, deliveries: number }>(`
    SELECT s.name, s.account, s.created_at,
           (SELECT count(*) FROM snapshot_customers WHERE snapshot_id = s.id) AS customers,
           (SELECT count(*) FROM snapshot_transactions WHERE snapshot_id = s.id) AS transactions,
           (SELECT count(*) FROM snapshot_deliveries WHERE snapshot_id = s.id) AS deliveries
    FROM snapshots s WHERE s.account = ? ORDER BY s.created_at, s.id`)
  const pendingDeliveries = db.prepare<[string], { n: number }>(`
    SELECT count(*) AS n FROM deliveries d JOIN events e ON e.id = d.event_id
    WHERE d.status = 'pending' AND e.account = ?`)
  // A subscription whose seq another account took meanwhile comes back under a new one.
  const subscriptionColumns = columnsOf(db, 'subscriptions').filter((c) => c !== 'seq')
  const subscriptionsGone = db.prepare<[{ snapshotId: number, account: string }], { seq: number, taken: number }>(`
    SELECT s.seq, EXISTS (SELECT 1 FROM subscriptions l WHERE l.seq = s.seq) AS taken
    FROM snapshot_subscriptions s
    WHERE s.snapshot_id = @snapshotId AND NOT EXISTS (SELECT 1 FROM subscriptions l WHERE l.seq = s.seq AND l.account = @account)
    ORDER BY s.seq`)
  const reinsertSubscription = (withSeq: boolean) => {
    const columns = withSeq ? ['seq', ...subscriptionColumns] : subscriptionColumns
    return db.prepare<[{ snapshotId: number, seq: number }], { seq: number }>(`
      INSERT INTO subscriptions (${columns.join(', ')})
      SELECT ${columns.join(', ')} FROM snapshot_subscriptions WHERE snapshot_id = @snapshotId AND seq = @seq
      RETURNING seq`)
  }
  const subscriptionAsItWas = reinsertSubscription(true)
  const subscriptionRenumbered = reinsertSubscription(false)
  const tables = TABLES.map((table) => ({ name: table.name, ...tableStatements(db, table) }))

  function putBackSubscriptions (snapshotId: number, account: string): Record<string, number> {
    const moved: Record<string, number> = {}
    for (const { seq, taken } of subscriptionsGone.all({ snapshotId, account })) {
      if (taken === 0) subscriptionAsItWas.run({ snapshotId, seq })
      else moved[String(seq)] = (subscriptionRenumbered.get({ snapshotId, seq }) as { seq: number }).seq
    }
    return moved
  }

  return {
    idOf: (account: string, name: string): number | undefined => find.get(account, name)?.id,
    count: (account: string): number => countOf.get(account)?.n ?? 0,
    pendingDeliveries: (account: string): number => pendingDeliveries.get(account)?.n ?? 0,
    /** Copies the account's data under `name`; call inside a transaction. */
    save (account: string, name: string, now: string): void {
      const snapshotId = (insertSnapshot.get({ account, name, now }) as { id: number }).id
      for (const table of tables) table.save.run({ snapshotId, account })
    },
    /** Makes the account's data what it was when the snapshot was saved; call inside a transaction. */
    restore (account: string, snapshotId: number): void {
      const params = { snapshotId, account }
      for (const table of [...tables].reverse()) table.deleteNew.run(params)
      for (const table of tables) table.updateChanged?.run(params)
      let movedSubscriptions = '{}'
      for (const table of tables) {
        if (table.name === 'subscriptions') movedSubscriptions = JSON.stringify(putBackSubscriptions(snapshotId, account))
        else table.insertGone.run(table.name === 'deliveries' ? { snapshotId, movedSubscriptions } : { snapshotId })
      }
      log.note({ kind: 'reset', account })
    },
    remove: (snapshotId: number): void => { remove.run(snapshotId) },
    list: (account: string): SnapshotSummary[] => list.all(account).map((row) => ({
      name: row.name,
      account: row.account,
      createdDate: row.created_at,
      customers: row.customers,
      transactions: row.transactions,
      deliveries: row.deliveries
    }))
  }
}

export type SnapshotsRepository = ReturnType<typeof createSnapshotsRepository>

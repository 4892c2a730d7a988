import type { z } from 'zod'
import { SORT_COLUMNS, type ComplianceState, type Outcome, type SortProperty, type TransactionState } from '../domain/model.js'
import type { transaction } from '../schemas/transaction.js'
import type { Db } from './database.js'
import { createStatementCache } from './statement-cache.js'

/** A transaction as the API answers it; the schema in src/schemas is its one definition. */
export type Transaction = z.output<typeof transaction>

interface TransactionRow {
  id: string
  amount: number
  address_from: string
  currency: string
  transaction_hash: string | null
  transaction_state: TransactionState
  compliance_state: ComplianceState
  translation_completed: number
  created_at: string
}

/** Calypso's criteria filter on a text column (Spring/JHipster style); every given condition must hold. */
export interface TextFilter {
  equals?: string | undefined
  notEquals?: string | undefined
  specified?: boolean | undefined
  in?: string[] | undefined
  notIn?: string[] | undefined
  contains?: string | undefined
  doesNotContain?: string | undefined
}

export interface TransactionQuery {
  customerId?: string | undefined
  currency?: TextFilter | undefined
  state?: TextFilter | undefined
  pageNumber: number
  pageSize: number
  direction: 'ASC' | 'DESC'
  property: SortProperty
}

const COLUMNS = 'id, amount, address_from, currency, transaction_hash, transaction_state, compliance_state, translation_completed, created_at'

export function toTransaction (row: TransactionRow): Transaction {
  return {
    id: row.id,
    amount: row.amount,
    addressFrom: row.address_from,
    currency: row.currency,
    ...(row.transaction_hash === null ? {} : { transactionHash: row.transaction_hash }),
    transactionState: row.transaction_state,
    complianceState: row.compliance_state,
    translationToAccountCompleted: row.translation_completed === 1,
    createdDate: row.created_at
  }
}

/** A row with what the deposit flow needs beside the API's fields. */
type ProgressRow = TransactionRow & { account: string, customer_id: string, purse_id: string, outcome: Outcome }

function toProgress (row: ProgressRow): TransactionProgress {
  return { ...toTransaction(row), account: row.account, customerId: row.customer_id, purseId: row.purse_id, outcome: row.outcome }
}

function textConditions (column: string, filter: TextFilter | undefined, where: string[], params: unknown[]): void {
  if (filter === undefined) return
  if (filter.equals !== undefined) { where.push(`${column} = ?`); params.push(filter.equals) }
  if (filter.notEquals !== undefined) { where.push(`${column} <> ?`); params.push(filter.notEquals) }
  if (filter.specified !== undefined) where.push(`${column} IS ${filter.specified ? 'NOT ' : ''}NULL`)
  if (filter.in !== undefined) {
    where.push(filter.in.length === 0 ? '0' : `${column} IN (${filter.in.map(() => '?').join(', ')})`)
    params.push(...filter.in)
  }
  if (filter.notIn !== undefined && filter.notIn.length > 0) {
    where.push(`${column} NOT IN (${filter.notIn.map(() => '?').join(', ')})`)
    params.push(...filter.notIn)
  }
  if (filter.contains !== undefined) { where.push(`instr(lower(${column}), lower(?)) > 0`); params.push(filter.contains) }
  if (filter.doesNotContain !== undefined) { where.push(`instr(lower(${column}), lower(?)) = 0`); params.push(filter.doesNotContain) }
}

export interface NewTransaction {
  id: string
  account: string
  customerId: string
  purseId: string
  amount: number
  currency: string
  addressFrom: string
  /** Null only in tests: the mock's deposits always have a hash, while Calypso may send none. */
  transactionHash: string | null
  outcome: Outcome
  now: string
  /** Later steps wait this long each, on the account's clock; they run at once when absent. */
  stepEveryMs?: number | null
}

/** Where a transaction stands in the mock's deposit flow, with what the flow needs to go on. */
export interface TransactionProgress extends Transaction {
  account: string
  customerId: string
  purseId: string
  outcome: Outcome
}

export function createTransactionsRepository (db: Db) {
  const byId = db.prepare<[string, string], TransactionRow>(
    `SELECT ${COLUMNS} FROM transactions WHERE id = ? AND account = ?`)
  const insert = db.prepare<[NewTransaction]>(`
    INSERT INTO transactions (id, account, customer_id, purse_id, amount, currency, address_from, transaction_hash,
                              transaction_state, compliance_state, translation_completed, outcome, created_at, step_every_ms)
    VALUES (@id, @account, @customerId, @purseId, @amount, @currency, @addressFrom, @transactionHash,
            'MEM_POOL_FOUND', 'UNCHECKED', 0, @outcome, @now, @stepEveryMs)`)
  const setNextStep = db.prepare<[number | null, string]>('UPDATE transactions SET next_step_at = ? WHERE id = ?')
  const stepEvery = db.prepare<[string], number | null>('SELECT step_every_ms FROM transactions WHERE id = ?').pluck()
  const nextStepAt = db.prepare<[string], number | null>('SELECT next_step_at FROM transactions WHERE id = ?').pluck()
  const dueSteps = db.prepare<[string, number], string>(
    'SELECT id FROM transactions WHERE next_step_at IS NOT NULL AND account = ? AND next_step_at <= ? ORDER BY next_step_at, seq').pluck()
  const nextStepOf = db.prepare<[string], number | null>(
    'SELECT min(next_step_at) FROM transactions WHERE next_step_at IS NOT NULL AND account = ?').pluck()
  // On the machine's clock: each account's clock runs its own offset ahead.
  const nextStepOnMachine = db.prepare<[], { account: string, at: number }>(`
    SELECT t.account, t.next_step_at - coalesce(c.offset_ms, 0) AS at FROM transactions t LEFT JOIN account_clocks c ON c.account = t.account
    WHERE t.next_step_at IS NOT NULL ORDER BY at LIMIT 1`)
  const progress = db.prepare<[string], ProgressRow>(
    `SELECT ${COLUMNS}, account, customer_id, purse_id, outcome FROM transactions WHERE id = ?`)
  const listAll = db.prepare<[{ account: string | null, customerId: string | null, limit: number, offset: number }], ProgressRow>(`
    SELECT ${COLUMNS}, account, customer_id, purse_id, outcome FROM transactions
    WHERE (@account IS NULL OR account = @account) AND (@customerId IS NULL OR customer_id = @customerId)
    ORDER BY seq DESC LIMIT @limit OFFSET @offset`)
  const setState = db.prepare<[TransactionState, ComplianceState, number, string]>(
    'UPDATE transactions SET transaction_state = ?, compliance_state = ?, translation_completed = ? WHERE id = ?')
  // find's SQL depends on which filters are given.
  const statement = createStatementCache(db)

  return {
    findById (account: string, id: string): Transaction | undefined {
      const row = byId.get(id, account)
      return row === undefined ? undefined : toTransaction(row)
    },
    insert (transaction: NewTransaction): void {
      insert.run({ stepEveryMs: null, ...transaction })
    },
    /** A deposit that waits on time: how long each later step waits; undefined for one that does not. */
    stepEveryMs: (id: string): number | undefined => stepEvery.get(id) ?? undefined,
    nextStepAt: (id: string): number | undefined => nextStepAt.get(id) ?? undefined,
    /** When the deposit's next step is due (ms on its account's clock), or null when it waits for nothing. */
    setNextStep (id: string, atMs: number | null): void {
      setNextStep.run(atMs, id)
    },
    /** The account's deposits whose next step is due at `nowMs`, the earliest first. */
    dueSteps: (account: string, nowMs: number): string[] => dueSteps.all(account, nowMs),
    nextStepOf: (account: string): number | undefined => nextStepOf.get(account) ?? undefined,
    /** The soonest waiting step of any account, on the machine's clock. */
    nextStepOnMachine: (): { account: string, at: number } | undefined => nextStepOnMachine.get(),
    progress (id: string): TransactionProgress | undefined {
      const row = progress.get(id)
      return row === undefined ? undefined : toProgress(row)
    },
    /** What is stored, newest first (mock-only). */
    listAll (query: { account?: string | undefined, customerId?: string | undefined, limit: number, offset: number }): TransactionProgress[] {
      return listAll.all({ account: query.account ?? null, customerId: query.customerId ?? null, limit: query.limit, offset: query.offset }).map(toProgress)
    },
    setState (id: string, state: TransactionState, compliance: ComplianceState, translationCompleted: boolean): void {
      setState.run(state, compliance, translationCompleted ? 1 : 0, id)
    },
    find (account: string, query: TransactionQuery): { rows: Transaction[], totalElements: number } {
      const where = ['account = ?']
      const params: unknown[] = [account]
      if (query.customerId !== undefined) { where.push('customer_id = ?'); params.push(query.customerId) }
      textConditions('currency', query.currency, where, params)
      textConditions('transaction_state', query.state, where, params)
      const condition = where.join(' AND ')
      const { total } = statement(`SELECT count(*) AS total FROM transactions WHERE ${condition}`).get(...params) as { total: number }
      const order = `${SORT_COLUMNS[query.property]} ${query.direction}, seq ${query.direction}`
      const rows = statement(`SELECT ${COLUMNS} FROM transactions WHERE ${condition} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...params, query.pageSize, query.pageNumber * query.pageSize) as TransactionRow[]
      return { rows: rows.map(toTransaction), totalElements: total }
    }
  }
}

export type TransactionsRepository = ReturnType<typeof createTransactionsRepository>

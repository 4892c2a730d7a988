import type { CommitLog } from './commit-log.js'
import type { Db } from './database.js'

export interface Customer {
  id: string
  email: string | null
  description: string | null
  externalId: string | null
  blocked: boolean
}

export interface CustomerFields {
  email?: string | undefined
  description?: string | undefined
  externalId?: string | undefined
}

interface CustomerRow {
  id: string
  email: string | null
  description: string | null
  external_id: string | null
  blocked: number
}

const COLUMNS = 'id, email, description, external_id, blocked'

function toCustomer (row: CustomerRow): Customer {
  return {
    id: row.id,
    email: row.email,
    description: row.description,
    externalId: row.external_id,
    blocked: row.blocked === 1
  }
}

/** A customer with the mock's bookkeeping, as /_mock/customers lists it. */
export interface StoredCustomer extends Customer {
  account: string
  createdDate: string
  updatedDate: string
}

type StoredRow = CustomerRow & { account: string, created_at: string, updated_at: string }

function toStored (row: StoredRow): StoredCustomer {
  return { ...toCustomer(row), account: row.account, createdDate: row.created_at, updatedDate: row.updated_at }
}

export function createCustomersRepository (db: Db, log: CommitLog) {
  const insert = db.prepare<[Record<string, unknown>], CustomerRow>(`
    INSERT INTO customers (id, account, email, description, external_id, blocked, created_at, updated_at)
    VALUES (@id, @account, @email, @description, @externalId, 0, @now, @now)
    RETURNING ${COLUMNS}`)
  const byId = db.prepare<[string, string], CustomerRow>(
    `SELECT ${COLUMNS} FROM customers WHERE id = ? AND account = ?`)
  // @search matches an id exactly, or a part of the email or externalId, in any case.
  const listAll = db.prepare<[{ account: string | null, search: string | null, limit: number, offset: number }], StoredRow>(`
    SELECT ${COLUMNS}, account, created_at, updated_at FROM customers
    WHERE (@account IS NULL OR account = @account)
      AND (@search IS NULL OR id = lower(@search) OR instr(lower(email), lower(@search)) > 0 OR instr(lower(external_id), lower(@search)) > 0)
    ORDER BY seq DESC LIMIT @limit OFFSET @offset`)
  const storedById = db.prepare<[string], StoredRow>(`SELECT ${COLUMNS}, account, created_at, updated_at FROM customers WHERE id = ?`)
  const accountOf = db.prepare<[string], { account: string }>('SELECT account FROM customers WHERE id = ?')
  // Only the fields present in the request change: each has a flag saying whether it was given.
  const update = db.prepare<[Record<string, unknown>], CustomerRow>(`
    UPDATE customers SET
      email       = CASE WHEN @setEmail       THEN @email       ELSE email END,
      description = CASE WHEN @setDescription THEN @description ELSE description END,
      external_id = CASE WHEN @setExternalId  THEN @externalId  ELSE external_id END,
      updated_at  = @now
    WHERE id = @id AND account = @account
    RETURNING ${COLUMNS}`)
  const setBlocked = db.prepare<[Record<string, unknown>], CustomerRow>(`
    UPDATE customers SET
      updated_at = CASE WHEN blocked = @blocked THEN updated_at ELSE @now END,
      blocked    = @blocked
    WHERE id = @id AND account = @account
    RETURNING ${COLUMNS}`)

  return {
    create (account: string, id: string, fields: CustomerFields, now: string): Customer {
      const row = insert.get({
        id,
        account,
        email: fields.email ?? null,
        description: fields.description ?? null,
        externalId: fields.externalId ?? null,
        now
      })
      log.note({ kind: 'customer', account, customerId: id, created: true })
      return toCustomer(row as CustomerRow)
    },
    findById (account: string, id: string): Customer | undefined {
      const row = byId.get(id, account)
      return row === undefined ? undefined : toCustomer(row)
    },
    /** What is stored, newest first, with the mock's bookkeeping (mock-only). */
    listAll (query: { account?: string | undefined, search?: string | undefined, limit: number, offset: number }): StoredCustomer[] {
      return listAll.all({ account: query.account ?? null, search: query.search ?? null, limit: query.limit, offset: query.offset }).map(toStored)
    },
    /** One customer as listAll shows it, whatever its account (mock-only). */
    findStored (id: string): StoredCustomer | undefined {
      const row = storedById.get(id)
      return row === undefined ? undefined : toStored(row)
    },
    /** The account a customer belongs to, whichever it is (mock-only surfaces are not per account). */
    accountOf (id: string): string | undefined {
      return accountOf.get(id)?.account
    },
    update (account: string, id: string, fields: CustomerFields, now: string): Customer | undefined {
      const row = update.get({
        id,
        account,
        now,
        setEmail: fields.email === undefined ? 0 : 1,
        email: fields.email ?? null,
        setDescription: fields.description === undefined ? 0 : 1,
        description: fields.description ?? null,
        setExternalId: fields.externalId === undefined ? 0 : 1,
        externalId: fields.externalId ?? null
      })
      if (row === undefined) return undefined
      log.note({ kind: 'customer', account, customerId: id, created: false })
      return toCustomer(row)
    },
    setBlocked (account: string, id: string, blocked: boolean, now: string): Customer | undefined {
      const row = setBlocked.get({ id, account, blocked: blocked ? 1 : 0, now })
      if (row === undefined) return undefined
      log.note({ kind: 'customer', account, customerId: id, created: false })
      return toCustomer(row)
    }
  }
}

export type CustomersRepository = ReturnType<typeof createCustomersRepository>

import { CURRENCIES, type AddressFamily, type Currency } from '../domain/model.js'
import type { CommitLog } from './commit-log.js'
import type { Db } from './database.js'

export type PurseStatus = 'PENDING_PAYMENT' | 'ARCHIVED' | 'DECLINED'

/** A purse is one deposit address of a customer; it serves every currency of its chain family. */
export interface Purse {
  id: string
  account: string
  customerId: string
  network: string
  address: string
  /** The currencies asked for on this address or received on it, in first-use order. */
  currencies: string[]
  status: PurseStatus
  createdDate: string
  expiryDate: string
}

interface PurseRow {
  id: string
  account: string
  customer_id: string
  network: string
  address: string
  currencies: string
  status: PurseStatus
  created_at: string
  expires_at: string
}

export interface NewPurse {
  id: string
  account: string
  customerId: string
  /** The currency the address is first asked for. */
  currency: Currency
  network: AddressFamily
  address: string
  now: string
  expiresAt: string
}

const COLUMNS = 'id, account, customer_id, network, address, currencies, status, created_at, expires_at'

function toPurse (row: PurseRow): Purse {
  return {
    id: row.id,
    account: row.account,
    customerId: row.customer_id,
    network: row.network,
    address: row.address,
    currencies: JSON.parse(row.currencies) as string[],
    status: row.status,
    createdDate: row.created_at,
    expiryDate: row.expires_at
  }
}

function toPurseOrUndefined (row: PurseRow | undefined): Purse | undefined {
  return row === undefined ? undefined : toPurse(row)
}

export function createPursesRepository (db: Db, log: CommitLog) {
  const noteChanged = (purse: Purse, created: boolean): void => { log.note({ kind: 'purse', account: purse.account, customerId: purse.customerId, purseId: purse.id, created }) }
  const active = db.prepare<[string, string], PurseRow>(
    `SELECT ${COLUMNS} FROM purses WHERE customer_id = ? AND network = ? AND status = 'PENDING_PAYMENT'`)
  const insert = db.prepare<[NewPurse], PurseRow>(`
    INSERT INTO purses (id, account, customer_id, network, address, currencies, status, created_at, expires_at)
    VALUES (@id, @account, @customerId, @network, @address, json_array(@currency), 'PENDING_PAYMENT', @now, @expiresAt)
    RETURNING ${COLUMNS}`)
  const addCurrency = db.prepare<[{ id: string, currency: string }], PurseRow>(`
    UPDATE purses SET currencies = json_insert(currencies, '$[#]', @currency)
    WHERE id = @id AND NOT EXISTS (SELECT 1 FROM json_each(purses.currencies) WHERE value = @currency)
    RETURNING ${COLUMNS}`)
  const byCustomer = db.prepare<[string], PurseRow>(
    `SELECT ${COLUMNS} FROM purses WHERE customer_id = ? ORDER BY seq`)
  const byId = db.prepare<[string], PurseRow>(`SELECT ${COLUMNS} FROM purses WHERE id = ?`)
  const byAddress = db.prepare<[string], PurseRow>(`SELECT ${COLUMNS} FROM purses WHERE address = ?`)
  const setStatus = db.prepare<[PurseStatus, string]>('UPDATE purses SET status = ? WHERE id = ?')
  const decline = db.prepare<[string]>("UPDATE purses SET status = 'DECLINED' WHERE id = ? AND status = 'PENDING_PAYMENT'")
  const deposited = db.prepare<[string, string, string]>(
    'UPDATE purses SET last_deposit_at = ?, expires_at = ? WHERE id = ?')
  const expiringOf = db.prepare<[string, string], PurseRow>(
    `SELECT ${COLUMNS} FROM purses WHERE account = ? AND status = 'PENDING_PAYMENT' AND expires_at <= ? ORDER BY expires_at LIMIT 500`)
  const nextExpiry = db.prepare<[string], string | null>(
    "SELECT min(expires_at) FROM purses WHERE account = ? AND status = 'PENDING_PAYMENT'").pluck()

  return {
    /** The customer's active purse whose address serves `currency` (one per chain family), if any. */
    findActive (customerId: string, currency: Currency): Purse | undefined {
      return toPurseOrUndefined(active.get(customerId, CURRENCIES[currency]))
    },
    create (purse: NewPurse): Purse {
      const created = toPurse(insert.get(purse) as PurseRow)
      noteChanged(created, true)
      return created
    },
    /** Records that the purse serves `currency` too; the purse as it now stands. */
    addCurrency (id: string, currency: Currency): Purse {
      const added = toPurseOrUndefined(addCurrency.get({ id, currency }))
      if (added !== undefined) noteChanged(added, false)
      return added ?? toPurse(byId.get(id) as PurseRow)
    },
    listByCustomer (customerId: string): Purse[] {
      return byCustomer.all(customerId).map(toPurse)
    },
    findById (id: string): Purse | undefined {
      return toPurseOrUndefined(byId.get(id))
    },
    findByAddress (address: string): Purse | undefined {
      return toPurseOrUndefined(byAddress.get(address))
    },
    setStatus (id: string, status: PurseStatus): void {
      setStatus.run(status, id)
    },
    /** Declines the purse if it is active: its address takes no more deposits and is never handed out again. */
    decline (id: string): void {
      decline.run(id)
    },
    recordDeposit (id: string, at: string, expiresAt: string): void {
      deposited.run(at, expiresAt, id)
    },
    /** The account's active purses whose expiry date is `now` or earlier. */
    listExpiringOf (account: string, now: string): Purse[] {
      return expiringOf.all(account, now).map(toPurse)
    },
    /** The earliest expiry date among the account's active purses. */
    nextExpiryOf: (account: string): string | undefined => nextExpiry.get(account) ?? undefined
  }
}

export type PursesRepository = ReturnType<typeof createPursesRepository>

import type { AddressFamily, Currency } from '../currencies.js'
import type { CommitLog } from './commit-log.js'
import type { Db } from './database.js'

export type PurseStatus = 'PENDING_PAYMENT' | 'ARCHIVED' | 'DECLINED'

export interface Purse {
  id: string
  account: string
  customerId: string
  network: string
  address: string
  currency: string
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
  currency: string
  status: PurseStatus
  created_at: string
  expires_at: string
}

export interface NewPurse {
  id: string
  account: string
  customerId: string
  currency: Currency
  network: AddressFamily
  address: string
  now: string
  expiresAt: string
}

const COLUMNS = 'id, account, customer_id, network, address, currency, status, created_at, expires_at'

function toPurse (row: PurseRow): Purse {
  return {
    id: row.id,
    account: row.account,
    customerId: row.customer_id,
    network: row.network,
    address: row.address,
    currency: row.currency,
    status: row.status,
    createdDate: row.created_at,
    expiryDate: row.expires_at
  }
}

export function createPursesRepository (db: Db, log: CommitLog) {
  const active = db.prepare<[string, string], PurseRow>(
    `SELECT ${COLUMNS} FROM purses WHERE customer_id = ? AND currency = ? AND status = 'PENDING_PAYMENT'`)
  const familyAddress = db.prepare<[string, string], { address: string }>(
    `SELECT address FROM purses WHERE customer_id = ? AND network = ? AND status = 'PENDING_PAYMENT' ORDER BY seq LIMIT 1`)
  const insert = db.prepare<[NewPurse], PurseRow>(`
    INSERT INTO purses (id, account, customer_id, currency, network, address, status, created_at, expires_at)
    VALUES (@id, @account, @customerId, @currency, @network, @address, 'PENDING_PAYMENT', @now, @expiresAt)
    RETURNING ${COLUMNS}`)
  const byCustomer = db.prepare<[string], PurseRow>(
    `SELECT ${COLUMNS} FROM purses WHERE customer_id = ? ORDER BY seq`)
  const byId = db.prepare<[string], PurseRow>(`SELECT ${COLUMNS} FROM purses WHERE id = ?`)
  // The newest purse first: an address may have had a purse per currency over time.
  const byAddress = db.prepare<[string], PurseRow>(`SELECT ${COLUMNS} FROM purses WHERE address = ? ORDER BY seq DESC`)
  const setStatus = db.prepare<[PurseStatus, string]>('UPDATE purses SET status = ? WHERE id = ?')
  const declineAddress = db.prepare<[string, string]>(
    "UPDATE purses SET status = 'DECLINED' WHERE customer_id = ? AND address = ? AND status = 'PENDING_PAYMENT'")
  const deposited = db.prepare<[string, string, string]>(
    'UPDATE purses SET last_deposit_at = ?, expires_at = ? WHERE id = ?')
  const expiring = db.prepare<[string], PurseRow>(
    `SELECT ${COLUMNS} FROM purses WHERE status = 'PENDING_PAYMENT' AND expires_at <= ? ORDER BY expires_at LIMIT 500`)

  return {
    findActive (customerId: string, currency: Currency): Purse | undefined {
      const row = active.get(customerId, currency)
      return row === undefined ? undefined : toPurse(row)
    },
    /** The address the customer already uses on this family of chains, if any purse is active. */
    findFamilyAddress (customerId: string, network: AddressFamily): string | undefined {
      return familyAddress.get(customerId, network)?.address
    },
    create (purse: NewPurse): Purse {
      const created = toPurse(insert.get(purse) as PurseRow)
      log.note({ kind: 'purse', account: created.account, customerId: created.customerId, purseId: created.id })
      return created
    },
    listByCustomer (customerId: string): Purse[] {
      return byCustomer.all(customerId).map(toPurse)
    },
    findById (id: string): Purse | undefined {
      const row = byId.get(id)
      return row === undefined ? undefined : toPurse(row)
    },
    listByAddress (address: string): Purse[] {
      return byAddress.all(address).map(toPurse)
    },
    setStatus (id: string, status: PurseStatus): void {
      setStatus.run(status, id)
    },
    /** Declines every active purse of the customer on this address: the address takes no more deposits. */
    declineAddress (customerId: string, address: string): void {
      declineAddress.run(customerId, address)
    },
    recordDeposit (id: string, at: string, expiresAt: string): void {
      deposited.run(at, expiresAt, id)
    },
    listExpiring (now: string): Purse[] {
      return expiring.all(now).map(toPurse)
    }
  }
}

export type PursesRepository = ReturnType<typeof createPursesRepository>

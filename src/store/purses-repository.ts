import type { AddressFamily, Currency } from '../currencies.js'
import type { Db } from './database.js'

export type PurseStatus = 'PENDING_PAYMENT' | 'ARCHIVED' | 'DECLINED'

export interface Purse {
  id: string
  customerId: string
  address: string
  currency: string
  status: PurseStatus
  createdDate: string
  expiryDate: string
}

interface PurseRow {
  id: string
  customer_id: string
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

const COLUMNS = 'id, customer_id, address, currency, status, created_at, expires_at'

function toPurse (row: PurseRow): Purse {
  return {
    id: row.id,
    customerId: row.customer_id,
    address: row.address,
    currency: row.currency,
    status: row.status,
    createdDate: row.created_at,
    expiryDate: row.expires_at
  }
}

export function createPursesRepository (db: Db) {
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
      return toPurse(insert.get(purse) as PurseRow)
    },
    listByCustomer (customerId: string): Purse[] {
      return byCustomer.all(customerId).map(toPurse)
    }
  }
}

export type PursesRepository = ReturnType<typeof createPursesRepository>

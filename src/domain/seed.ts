import type { WebhookConfig } from '../config.js'
import { isCurrency } from './currencies.js'
import { ApiError, ERROR_CATALOG, ErrorCode, Reason } from '../errors.js'
import type { SeedCustomer, SeedData } from '../schemas/seed.js'
import { createAccount } from './accounts.js'
import type { DomainContext } from './context.js'
import { createCustomer, setCustomerBlocked } from './customers.js'
import { createDeposit } from './deposits.js'
import { getOrCreatePurse } from './purses.js'

/** A seed entry the mock refused: where it is in the file, and why. */
export class SeedEntryError extends Error {
  constructor (readonly entry: string, detail: string) {
    super(`${entry}: ${detail}`)
    this.name = 'SeedEntryError'
  }
}

/** What an error says beyond its catalog title ("Bad request: "), which a seed message does not need. */
function detailOf (err: ApiError): string {
  const base = `${ERROR_CATALOG[err.errorCode].message}: `
  return err.message.startsWith(base) ? err.message.slice(base.length) : err.message
}

/** How a customer is named in a message: its place in the file, and its email or externalId when it has a non-empty one. */
export function customerEntry (index: number, customer: { email?: string | undefined, externalId?: string | undefined }): string {
  const name = [customer.email, customer.externalId].find((value) => value !== undefined && value !== '')
  return `customers[${index}]${name === undefined ? '' : ` (${name})`}`
}

/** True when the database holds no customer and no account created at run time: the only time a seed loads. */
export function isEmpty (ctx: DomainContext): boolean {
  return ctx.store.customers.listAll({ limit: 1, offset: 0 }).length === 0 &&
    ctx.store.accounts.list().every((a) => a.origin === 'config')
}

function seedCustomer (ctx: DomainContext, customer: SeedCustomer, account: string): void {
  const { store, ids } = ctx
  if (store.accounts.findByAccount(account) === undefined) {
    throw new ApiError(ErrorCode.NOT_FOUND, Reason.seedAccountUnknown(account))
  }
  const id = customer.id ?? ids.uuid()
  if (store.customers.accountOf(id) !== undefined) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.seedCustomerTwice(id))
  createCustomer(ctx, account, customer, id)
  // Blocked before any deposit, so every seeded webhook says so.
  if (customer.blocked) setCustomerBlocked(ctx, account, id, true)
  customer.purses.forEach((currency) => {
    if (isCurrency(currency)) getOrCreatePurse(ctx, account, id, currency)
  })
  customer.deposits.forEach((deposit, i) => {
    try {
      createDeposit(ctx, { customerId: id, ...deposit })
    } catch (err) {
      if (err instanceof ApiError) throw new ApiError(err.errorCode, `deposits[${i}]: ${detailOf(err)}`)
      throw err
    }
  })
}

/**
 * Loads a seed into an empty database, through the same domain functions as the API, in one
 * transaction: it loads whole or not at all. A database that holds data already is left alone,
 * so restarting on the same file never duplicates what was seeded.
 */
export function applySeed (ctx: DomainContext, webhook: WebhookConfig, seed: SeedData, defaultAccount: string): { loaded: boolean, accounts: number, customers: number } {
  return ctx.store.transaction(() => {
    if (!isEmpty(ctx)) return { loaded: false, accounts: 0, customers: 0 }
    seed.accounts.forEach((account, i) => {
      try {
        createAccount(ctx, webhook, account)
      } catch (err) {
        if (err instanceof ApiError) throw new SeedEntryError(`accounts[${i}] (${account.account})`, detailOf(err))
        throw err
      }
    })
    seed.customers.forEach((customer, i) => {
      try {
        seedCustomer(ctx, customer, customer.account ?? defaultAccount)
      } catch (err) {
        if (err instanceof ApiError) throw new SeedEntryError(customerEntry(i, customer), detailOf(err))
        throw err
      }
    })
    return { loaded: true, accounts: seed.accounts.length, customers: seed.customers.length }
  })
}

import { ApiError, ErrorCode, Reason } from '../errors.js'
import type { Customer, CustomerFields, StoredCustomer } from '../store/customers-repository.js'
import { isoNow, type DomainContext } from './context.js'

function found (value: Customer | undefined, id: string): Customer {
  if (value === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.customerNotFound(id))
  return value
}

export function createCustomer (ctx: DomainContext, account: string, fields: CustomerFields, id: string = ctx.ids.uuid()): Customer {
  return ctx.store.customers.create(account, id, fields, isoNow(ctx, account))
}

/** The account's customer; 004 when the account has no such customer. */
export function requireCustomer (ctx: DomainContext, account: string, id: string): Customer {
  return found(ctx.store.customers.findById(account, id), id)
}

/** Changes only the fields given (undefined keeps the stored value). */
export function updateCustomer (ctx: DomainContext, account: string, id: string, fields: CustomerFields): Customer {
  return found(ctx.store.customers.update(account, id, fields, isoNow(ctx, account)), id)
}

/** Sets or clears the blocking flag; idempotent. */
export function setCustomerBlocked (ctx: DomainContext, account: string, id: string, blocked: boolean): Customer {
  return found(ctx.store.customers.setBlocked(account, id, blocked, isoNow(ctx, account)), id)
}

/** Every account's customers (or one account's), newest first, with the mock's bookkeeping (mock-only). */
export function listCustomers (ctx: DomainContext, query: { account?: string | undefined, search?: string | undefined, limit: number, offset: number }): StoredCustomer[] {
  return ctx.store.customers.listAll(query)
}

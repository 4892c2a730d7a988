import { ApiError, ErrorCode, Reason } from '../errors.js'
import type { Purse } from '../store/purses-repository.js'
import { emitEvent } from '../webhooks/outbox.js'
import type { DomainContext } from './context.js'
import { eventData } from './event-data.js'

function expire (ctx: DomainContext, purse: Purse, nowMs: number): void {
  ctx.store.purses.setStatus(purse.id, 'ARCHIVED')
  emitEvent(ctx.store, { account: purse.account, eventType: 'CUSTOMER_PURSE_EXPIRED', data: eventData(ctx, purse), nowMs })
}

/** Archives every active purse whose expiry date has passed on its account's clock, each with its CUSTOMER_PURSE_EXPIRED event. */
export function expireDuePurses (ctx: DomainContext): number {
  let expired = 0
  for (const { account } of ctx.store.accounts.list()) expired += expireDuePursesOf(ctx, account)
  return expired
}

/** Archives the account's active purses whose expiry date has passed on its clock. */
export function expireDuePursesOf (ctx: DomainContext, account: string): number {
  const nowMs = ctx.clock(account)
  return ctx.store.transaction(() => {
    const due = ctx.store.purses.listExpiringOf(account, new Date(nowMs).toISOString())
    for (const purse of due) expire(ctx, purse, nowMs)
    return due.length
  })
}

/** Expires one purse now, whatever its expiry date (mock-only, for tests). */
export function expirePurseNow (ctx: DomainContext, purseId: string): Purse {
  return ctx.store.transaction(() => {
    const purse = ctx.store.purses.findById(purseId)
    if (purse === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.purseNotFound(purseId))
    if (purse.status !== 'PENDING_PAYMENT') throw new ApiError(ErrorCode.BAD_REQUEST, Reason.purseCannotExpire(purseId, purse.status))
    expire(ctx, purse, ctx.clock(purse.account))
    return ctx.store.purses.findById(purseId) as Purse
  })
}

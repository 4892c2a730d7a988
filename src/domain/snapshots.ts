import type { WebhookConfig } from '../config.js'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import type { SnapshotSummary } from '../store/snapshots-repository.js'
import { isoNow, type DomainContext } from './context.js'
import { syncConfiguredWebhook } from './subscriptions.js'

export type { SnapshotSummary }

/** How many snapshots one account may keep: each holds a copy of the account's rows. */
export const SNAPSHOTS_PER_ACCOUNT = 50

function existingAccount (ctx: DomainContext, account: string): string {
  if (ctx.store.accounts.findByAccount(account) === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.accountNotFound(account))
  return account
}

function snapshotId (ctx: DomainContext, account: string, name: string): number {
  const id = ctx.store.snapshots.idOf(account, name)
  if (id === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.snapshotNotFound(name, account))
  return id
}

/**
 * Saves the account's customers, purses, transactions, subscriptions, events and deliveries under
 * `name`. Refused while a delivery of the account is pending: a restore would send it again.
 */
export function saveSnapshot (ctx: DomainContext, account: string, name: string, replace: boolean): SnapshotSummary {
  const { store } = ctx
  return store.transaction(() => {
    existingAccount(ctx, account)
    const pending = store.snapshots.pendingDeliveries(account)
    if (pending > 0) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.snapshotWithPendingDeliveries(account, pending))
    const existing = store.snapshots.idOf(account, name)
    if (existing !== undefined && !replace) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.snapshotExists(name))
    if (existing !== undefined) store.snapshots.remove(existing)
    else if (store.snapshots.count(account) >= SNAPSHOTS_PER_ACCOUNT) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.snapshotLimit(SNAPSHOTS_PER_ACCOUNT))
    store.snapshots.save(account, name, isoNow(ctx))
    return store.snapshots.list(account).find((s) => s.name === name) as SnapshotSummary
  })
}

/**
 * Makes the account's data what it was when `name` was saved; the WEBHOOK_URL subscription stays
 * as configured now. Returns the largest event id given before: a delivery still in flight of a
 * later event may arrive after the restore, and a receiver drops it by this.
 */
export function restoreSnapshot (ctx: DomainContext, webhook: WebhookConfig, account: string, name: string): { lastEventId: number } {
  const { store } = ctx
  return store.transaction(() => {
    const id = snapshotId(ctx, existingAccount(ctx, account), name)
    const lastEventId = store.events.lastId()
    store.snapshots.restore(account, id)
    syncConfiguredWebhook(ctx, [account], webhook)
    return { lastEventId }
  })
}

export function deleteSnapshot (ctx: DomainContext, account: string, name: string): void {
  ctx.store.transaction(() => { ctx.store.snapshots.remove(snapshotId(ctx, existingAccount(ctx, account), name)) })
}

export function listSnapshots (ctx: DomainContext, account: string): SnapshotSummary[] {
  return ctx.store.snapshots.list(existingAccount(ctx, account))
}

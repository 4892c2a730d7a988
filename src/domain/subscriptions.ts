import { createHash } from 'node:crypto'
import type { WebhookConfig } from '../config.js'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import type { IdSource } from './ids.js'
import type { Subscription } from '../store/subscriptions-repository.js'
import { subscribesTo } from '../webhooks/outbox.js'
import { isoNow, type DomainContext } from './context.js'
import { CUSTOMER_PURSE_EVENTS, CUSTOMER_PURSE_SERVICE, type CustomerPurseEvent } from './event-types.js'

export interface NewSubscriptionRequest {
  requestId: string
  url: string
  notificationEventTypes: readonly string[]
  notificationServiceTypes: readonly string[]
}

/** Calypso-style key pair: 32 lowercase hex characters each, like the api keys in its docs. */
function keyPair (ids: IdSource) {
  return { publicKey: ids.hex(32), secretKey: ids.hex(32) }
}

export function createSubscription (ctx: DomainContext, account: string, request: NewSubscriptionRequest): Subscription {
  const { store, ids } = ctx
  return store.transaction(() => {
    if (store.subscriptions.findLive(account, request.requestId) !== undefined) {
      throw new ApiError(ErrorCode.BAD_REQUEST, Reason.subscriptionExists(request.requestId))
    }
    return store.subscriptions.create({ account, ...request, ...keyPair(ids), origin: 'api', now: isoNow(ctx, account) })
  })
}

/** Deletes a subscription and cancels its pending deliveries: it gets nothing more. */
export function deleteSubscription (ctx: DomainContext, account: string, requestId: string): void {
  const { store } = ctx
  store.transaction(() => {
    const subscription = store.subscriptions.findLive(account, requestId)
    if (subscription === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.subscriptionNotFound(requestId))
    const now = isoNow(ctx, account)
    store.subscriptions.markDeleted(subscription.seq, now)
    store.deliveries.cancelForSubscription(subscription.seq, now)
  })
}

/**
 * Whether an event of `eventType` (of any customer purse type when absent) of `account` (of any
 * account when absent) would be delivered anywhere: what a wait that found nothing tells apart.
 */
export function anySubscriptionFor (ctx: DomainContext, account: string | undefined, eventType: CustomerPurseEvent | undefined): boolean {
  const { store } = ctx
  const accounts = account === undefined ? store.accounts.list().map((a) => a.account) : [account]
  const types = eventType === undefined ? Object.keys(CUSTOMER_PURSE_EVENTS) : [eventType]
  return accounts.some((a) => store.subscriptions.listLive(a).some((s) => types.some((type) => subscribesTo(s, type))))
}

/** The requestId of an account's WEBHOOK_URL subscription: stable, so restarts keep one subscription. */
export function configuredRequestId (account: string): string {
  const h = createHash('sha256').update(`calypso-mock:WEBHOOK_URL:${account}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export interface ConfiguredWebhook {
  url: string
  publicKey: string
  secretKey: string
  /** True when the key pair was generated at this start, rather than configured or kept from the database. */
  generated: boolean
}

/**
 * Makes WEBHOOK_URL a subscription of every configured account to all CUSTOMER_PURSE events.
 * Without WEBHOOK_PUBLIC_KEY/WEBHOOK_SECRET_KEY the pair kept from an earlier start is reused, or
 * one is generated. Without WEBHOOK_URL, earlier such subscriptions are deleted.
 */
export function syncConfiguredWebhook (ctx: DomainContext, accounts: readonly string[], config: WebhookConfig): ConfiguredWebhook | undefined {
  const { store, ids } = ctx
  return store.transaction(() => {
    const existing = store.subscriptions.listLiveConfigured()
    if (config.url === undefined) {
      for (const s of existing) {
        const now = isoNow(ctx, s.account)
        store.subscriptions.markDeleted(s.seq, now)
        store.deliveries.cancelForSubscription(s.seq, now)
      }
      return undefined
    }
    const kept = existing[0]
    const keys = config.publicKey !== undefined && config.secretKey !== undefined
      ? { publicKey: config.publicKey, secretKey: config.secretKey, generated: false }
      : kept !== undefined
        ? { publicKey: kept.publicKey, secretKey: kept.secretKey, generated: false }
        : { ...keyPair(ids), generated: true }
    for (const account of accounts) {
      const requestId = configuredRequestId(account)
      const current = store.subscriptions.findLive(account, requestId)
      if (current === undefined) {
        store.subscriptions.create({
          account,
          requestId,
          url: config.url,
          publicKey: keys.publicKey,
          secretKey: keys.secretKey,
          notificationEventTypes: [],
          notificationServiceTypes: [CUSTOMER_PURSE_SERVICE],
          origin: 'config',
          now: isoNow(ctx, account)
        })
      } else {
        store.subscriptions.updateTarget(current.seq, config.url, keys.publicKey, keys.secretKey)
      }
    }
    return { url: config.url, ...keys }
  })
}

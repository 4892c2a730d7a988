import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { syncConfiguredWebhook, type ConfiguredWebhook } from '../domain/subscriptions.js'
import { Reason, StartupProblem } from '../errors.js'
import { createWebhookFaults, type WebhookFaults } from '../faults/webhook-faults.js'
import type { DueDelivery } from '../store/deliveries-repository.js'
import { createDeliveryChaos, type DeliveryChaos, type HELD } from '../webhooks/delivery-chaos.js'
import { createDeliveryWaiters, type DeliveryWaiters } from '../webhooks/delivery-waiters.js'
import { createDispatcher, type Dispatcher } from '../webhooks/dispatcher.js'
import { sendWebhook, type SendResult } from '../webhooks/send-webhook.js'
import { selfConnectionReason, selfTargetReason, type SelfAddress } from '../webhooks/self-target.js'

/** One delivery attempt, as the dispatcher makes it; HELD when a reorder fault holds the delivery. */
export type WebhookAttempt = (delivery: DueDelivery, timeoutMs: number, stop: AbortSignal) => Promise<SendResult | typeof HELD>

/**
 * Test-only seams of the webhook engine (BuildOptions.webhookTestHooks): the conformance drift
 * harness bends what is sent and when, in process, to prove the suite catches it. Never set by
 * the server or the library.
 */
export interface WebhookTestHooks {
  /** Wraps each attempt; it gets the real one. */
  wrapAttempt?: (attempt: WebhookAttempt) => WebhookAttempt
  /** Retry intervals in seconds instead of Calypso's. */
  retrySeconds?: readonly number[]
}

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: {
      dispatcher: Dispatcher
      waiters: DeliveryWaiters
      /** Injected webhook faults (/_mock/webhooks/faults): failures and delivery chaos. */
      faults: WebhookFaults
      chaos: DeliveryChaos
      /** The WEBHOOK_URL subscription, when configured. */
      configured: ConfiguredWebhook | undefined
      /** Why a webhook url would reach the mock itself, or undefined. */
      selfTarget: (url: string) => string | undefined
    }
  }
}

/** The longest shutdown waits for deliveries in flight before handing them back. */
const SHUTDOWN_GRACE_MS = 5000

/** The webhook engine: the outbox dispatcher, the long-poll waiters and the WEBHOOK_URL subscription. */
export default fp(async function webhooks (app: FastifyInstance, { testHooks = {} }: { testHooks?: WebhookTestHooks }) {
  const { store, clock, config } = app
  /** The mock's port: the one it listens on (PORT=0 picks it at listen), the configured one before that. */
  const self = (): SelfAddress => {
    const address = app.server.address()
    const port = address !== null && typeof address === 'object' ? address.port : config.port
    return { ports: port === 0 ? [] : [port], host: config.host, allowedHosts: config.allowedHosts }
  }
  const selfTarget = (url: string) => selfTargetReason(url, self())
  const url = config.webhook.url
  const configuredLoop = url === undefined ? undefined : selfTarget(url)
  if (url !== undefined && configuredLoop !== undefined) throw new Error(StartupProblem.webhookUrlIsSelf(url, configuredLoop))
  /** One send: never to the mock itself, whether the url says so or the name it resolves to does. */
  const send: typeof sendWebhook = async (delivery, body, timeoutMs, stop): Promise<SendResult> => {
    // A subscription stored before this check, or a name that resolves to this machine.
    const loop = selfTarget(delivery.url)
    if (loop !== undefined) return { ok: false, httpStatus: null, error: Reason.deliveryToSelf(loop), response: null, durationMs: 0 }
    return sendWebhook(delivery, body, timeoutMs, stop, (address, port) => selfConnectionReason(address, port, self()))
  }
  const waiters = createDeliveryWaiters(store.deliveries)
  const faults = createWebhookFaults()
  // The dispatcher runs on the machine's clock; the dates the delivery log shows are on the account's.
  const accountClock = app.domain.clock
  const chaos = createDeliveryChaos({ faults, deliveries: store.deliveries, clock, accountClock, send })
  // Nothing stays held by a reorder fault of an earlier run: its faults lived in memory.
  store.deliveries.releaseAll(clock())
  const dispatcher = createDispatcher({
    onDelivered: waiters.notify,
    attempt: testHooks.wrapAttempt?.(chaos.attempt) ?? chaos.attempt,
    retrySeconds: testHooks.retrySeconds,
    onAttempted: chaos.attempted,
    accountClock,
    deliveries: store.deliveries,
    clock,
    timeoutMs: config.webhook.timeoutMs,
    retryScale: config.webhook.retryScale,
    log: app.log.child({ module: 'webhooks' })
  })
  // New deliveries are sent once committed: the on-commit hook wakes the dispatcher, never the writer.
  const stopWaking = store.onCommit((changes) => {
    if (changes.some((c) => c.kind === 'delivery' && c.change === 'queued')) dispatcher.wake()
  })
  // Accounts created at run time are subscribed too, so a WEBHOOK_URL change reaches all of them.
  const configured = syncConfiguredWebhook(app.domain, store.accounts.list().map((a) => a.account), config.webhook)
  app.decorate('webhooks', { dispatcher, waiters, faults, chaos, configured, selfTarget })

  app.addHook('onReady', async () => { dispatcher.start() })
  app.addHook('preClose', async () => {
    stopWaking()
    waiters.closeAll()
    await dispatcher.close(Math.min(config.webhook.timeoutMs, SHUTDOWN_GRACE_MS))
  })
}, { name: 'webhooks', dependencies: ['config-and-clock', 'store', 'domain-context'] })

import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { DomainContext } from '../domain/context.js'
import { expireDuePurses } from '../domain/purse-expiry.js'
import { syncConfiguredWebhook, type ConfiguredWebhook } from '../domain/subscriptions.js'
import { createDeliveryWaiters, type DeliveryWaiters } from '../webhooks/delivery-waiters.js'
import { createDispatcher, type Dispatcher } from '../webhooks/dispatcher.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The context every state change that emits events runs in. */
    domain: DomainContext
    webhooks: {
      dispatcher: Dispatcher
      waiters: DeliveryWaiters
      /** The WEBHOOK_URL subscription, when configured. */
      configured: ConfiguredWebhook | undefined
    }
  }
}

/** How often purses are checked for expiry. */
export const EXPIRY_SWEEP_MS = 60_000
/** The longest shutdown waits for deliveries in flight before handing them back. */
const SHUTDOWN_GRACE_MS = 5000

/** The webhook engine: the WEBHOOK_URL subscription, the outbox dispatcher and the purse expiry sweep. */
export default fp(async function webhooks (app: FastifyInstance) {
  const { store, ids, clock, config } = app
  const waiters = createDeliveryWaiters(store.deliveries)
  const dispatcher = createDispatcher({
    onDelivered: waiters.notify,
    deliveries: store.deliveries,
    clock,
    timeoutMs: config.webhook.timeoutMs,
    retryScale: config.webhook.retryScale,
    log: app.log.child({ module: 'webhooks' })
  })
  const domain: DomainContext = { store, ids, clock }
  // New deliveries are sent once committed: the on-commit hook wakes the dispatcher, never the writer.
  const stopWaking = store.onCommit((changes) => {
    if (changes.some((c) => c.kind === 'delivery' && c.change === 'queued')) dispatcher.wake()
  })
  // Accounts created at run time are subscribed too, so a WEBHOOK_URL change reaches all of them.
  const configured = syncConfiguredWebhook(store, ids, store.accounts.list().map((a) => a.account), config.webhook, clock())
  app.decorate('domain', domain)
  app.decorate('webhooks', { dispatcher, waiters, configured })

  let sweep: NodeJS.Timeout | undefined
  app.addHook('onReady', async () => {
    expireDuePurses(domain)
    sweep = setInterval(() => {
      try {
        expireDuePurses(domain)
      } catch (err) {
        app.log.error({ err }, 'purse expiry sweep failed')
      }
    }, EXPIRY_SWEEP_MS)
    sweep.unref()
    dispatcher.start()
  })
  app.addHook('preClose', async () => {
    stopWaking()
    clearInterval(sweep)
    waiters.closeAll()
    await dispatcher.close(Math.min(config.webhook.timeoutMs, SHUTDOWN_GRACE_MS))
  })
}, { name: 'webhooks', dependencies: ['services', 'store', 'ids'] })

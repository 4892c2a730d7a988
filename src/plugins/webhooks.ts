import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { syncConfiguredWebhook, type ConfiguredWebhook } from '../domain/subscriptions.js'
import { createDeliveryWaiters, type DeliveryWaiters } from '../webhooks/delivery-waiters.js'
import { createWebhookFaults, type WebhookFaults } from '../faults/webhook-faults.js'
import { createDispatcher, type Dispatcher } from '../webhooks/dispatcher.js'
import { sendWebhook } from '../webhooks/send-webhook.js'

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: {
      dispatcher: Dispatcher
      waiters: DeliveryWaiters
      /** Injected receiver failures (/_mock/webhooks/faults). */
      faults: WebhookFaults
      /** The WEBHOOK_URL subscription, when configured. */
      configured: ConfiguredWebhook | undefined
    }
  }
}

/** The longest shutdown waits for deliveries in flight before handing them back. */
const SHUTDOWN_GRACE_MS = 5000

/** The webhook engine: the outbox dispatcher, the long-poll waiters and the WEBHOOK_URL subscription. */
export default fp(async function webhooks (app: FastifyInstance) {
  const { store, clock, config } = app
  const waiters = createDeliveryWaiters(store.deliveries)
  const faults = createWebhookFaults()
  const dispatcher = createDispatcher({
    onDelivered: waiters.notify,
    attempt: (delivery, timeoutMs, stop) => {
      const injected = faults.take(delivery.account)
      return injected === undefined ? sendWebhook(delivery, delivery.body, timeoutMs, stop) : Promise.resolve(injected)
    },
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
  app.decorate('webhooks', { dispatcher, waiters, faults, configured })

  app.addHook('onReady', async () => { dispatcher.start() })
  app.addHook('preClose', async () => {
    stopWaking()
    waiters.closeAll()
    await dispatcher.close(Math.min(config.webhook.timeoutMs, SHUTDOWN_GRACE_MS))
  })
}, { name: 'webhooks', dependencies: ['config-and-clock', 'store', 'domain-context'] })

import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { buildApp } from '../src/app.js'
import { sign } from '../src/auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../src/demo-credentials.js'
import { testConfig } from '../src/test-config.js'

function percentile (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 1000) / 1000
}

/**
 * Open long polls against delivered webhooks (issue: each open /_mock/webhooks/wait used to query
 * the deliveries table after every delivery). Builds the app in this process on a file database,
 * delivers `stored` events to a local receiver, opens `polls` waits that never match, then times
 * `deposits` more deposits to their last webhook, with and without the polls open, and the
 * waiters' own work per delivered event.
 */
export async function measureOpenPolls (databasePath: string, { stored = 10_000, polls = 100, deposits = 100 } = {}) {
  const receiver = createServer((request, response) => { request.resume(); request.on('end', () => response.end('OK')) })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  const app = await buildApp(testConfig({
    databasePath,
    webhook: { url: webhookUrl, publicKey: 'bench-public-key', secretKey: 'bench-secret-key', timeoutMs: 10_000, retryScale: 0.001 }
  }))
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  try {
    const body = JSON.stringify({ timestamp: Date.now(), account: DEFAULT_ACCOUNT, payload: {} })
    const customer = (await app.inject({
      method: 'POST',
      url: '/api/v1/customer-purse/customer/create',
      payload: body,
      headers: { 'content-type': 'application/json', Key: DOCS_API_KEY, Sign: sign(body, DOCS_API_SECRET) }
    })).json() as { id: string }
    const deposit = () => app.inject({ method: 'POST', url: '/_mock/deposits', payload: { customerId: customer.id, currency: 'BTC', amount: 1 } })
    const drained = async () => {
      while (app.store.deliveries.pendingCount() > 0 || app.webhooks.dispatcher.inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    for (let i = 0; i < stored / 4; i++) await deposit()
    await drained()

    // Each delivery's cost to the waiters: what the dispatcher calls after recording it.
    const notify = app.webhooks.waiters.notify
    const notifyMs: number[] = []
    const timedRun = async () => {
      const started = performance.now()
      for (let i = 0; i < deposits; i++) await deposit()
      await drained()
      return (performance.now() - started) / (deposits * 4)
    }
    const withoutPolls = await timedRun()

    const nobody = randomUUID()
    const open = Array.from({ length: polls }, (_, i) =>
      fetch(`${url}/_mock/webhooks/wait?customerId=${nobody}&consumer=poll-${i}&timeoutMs=120000`).then((res) => res.text()))
    while (app.webhooks.waiters.count() < polls) await new Promise((resolve) => setTimeout(resolve, 5))
    const delivered = app.store.deliveries.list({ status: 'delivered', limit: 1000 })
      .map((d) => ({ id: d.id, eventId: d.eventId, eventType: d.eventType, subscriptionSeq: 0, customerId: d.customerId, account: d.account, body: d.body, attempts: d.attempts.length, url: d.url, publicKey: '', secretKey: '' }))
    for (const delivery of delivered) {
      const started = performance.now()
      notify(delivery)
      notifyMs.push(performance.now() - started)
    }
    const withPolls = await timedRun()
    const healthStarted = performance.now()
    await (await fetch(`${url}/health`)).text()
    const healthMs = performance.now() - healthStarted
    const stillOpen = app.webhooks.waiters.count()
    await app.close()
    await Promise.allSettled(open)
    return {
      stored,
      polls,
      stillOpen,
      perDeliveryMs: { withoutPolls: Math.round(withoutPolls * 1000) / 1000, withPolls: Math.round(withPolls * 1000) / 1000 },
      notifyMs: { p50: percentile(notifyMs, 0.5), p99: percentile(notifyMs, 0.99), max: percentile(notifyMs, 1) },
      healthMs: Math.round(healthMs * 10) / 10
    }
  } finally {
    await app.close()
    receiver.closeAllConnections()
    receiver.close()
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { mkdtempSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(join(tmpdir(), 'calypso-mock-polls-'))
  try {
    console.log(JSON.stringify(await measureOpenPolls(join(dir, 'polls.db')), null, 2))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

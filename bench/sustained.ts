import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import autocannon from 'autocannon'
import { cpuMs } from './backlog.js'
import { SERVER, startServer } from './server-process.js'
import { call, signedRequest } from './start-up.js'

/** How long after the load ends everything queued must have been delivered. */
const DRAIN_LIMIT_MS = 30_000
const CUSTOMERS = 50

interface Health { webhooks: { pending: number } }

async function pending (url: string): Promise<number> {
  const health = await (await fetch(`${url}/health`)).json() as Health
  return health.webhooks.pending
}

/**
 * `seconds` of load at `connections` connections, each connection cycling through a signed
 * customer/create, a customer/block, a transaction/find and a /_mock/deposits (four webhooks
 * each, to a local receiver); then the time until nothing is left to deliver, and the server's
 * resident memory before the load, at its end and (the lowest) in the 10 s after draining.
 */
export async function measureSustained (databasePath: string, seconds = 60, connections = 50, server = SERVER) {
  let delivered = 0
  const receiver = createServer((request, response) => {
    request.resume()
    request.on('end', () => { delivered++; response.end('OK') })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const running = await startServer({
    DATABASE_PATH: databasePath,
    WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    WEBHOOK_PUBLIC_KEY: 'bench-webhook-public-key',
    WEBHOOK_SECRET_KEY: 'bench-webhook-secret-key'
  }, server)
  const ids: string[] = []
  for (let i = 0; i < CUSTOMERS; i++) ids.push((await call(running.url, 'customer-purse/customer/create', { email: `sustained-${i}@example.com` })).id as string)
  while (await pending(running.url) > 0) await new Promise((resolve) => setTimeout(resolve, 100))
  const rssStartMb = running.rssMb()
  const cpuStart = cpuMs(running.child.pid as number)
  let n = 0
  const someone = () => ids[n++ % ids.length] as string
  const signed = (path: string, payload: () => unknown): autocannon.Request => ({
    method: 'POST',
    setupRequest: (request) => ({ ...request, ...signedRequest(path, payload()) })
  })
  const deposit: autocannon.Request = {
    method: 'POST',
    path: '/_mock/deposits',
    setupRequest: (request) => ({
      ...request,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: someone(), currency: 'USDT_TRX', amount: 1 })
    })
  }
  const result = await autocannon({
    url: running.url,
    connections,
    duration: seconds,
    requests: [
      signed('customer-purse/customer/create', () => ({ email: 'load@example.com' })),
      signed('customer-purse/customer/block', () => ({ customerId: someone() })),
      signed('customer-purse/transaction/find', () => ({ customerId: someone(), pageNumber: 0, pageSize: 20 })),
      deposit
    ]
  })
  const endedAt = performance.now()
  const rssEndMb = running.rssMb()
  const left = await pending(running.url)
  const deliveredAtEnd = delivered
  let drainedMs: number | undefined
  while (performance.now() - endedAt < DRAIN_LIMIT_MS * 4) {
    if (await pending(running.url) === 0) { drainedMs = performance.now() - endedAt; break }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const leftAfterLimit = drainedMs === undefined ? await pending(running.url) : 0
  // Memory is given back lazily (the V8 heap shrinks at its next collections): the lowest reading over 10 s.
  let rssDrainedMb = running.rssMb()
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    rssDrainedMb = Math.min(rssDrainedMb, running.rssMb())
  }
  const cpuS = (cpuMs(running.child.pid as number) - cpuStart) / 1000
  await running.stop()
  receiver.close()
  const round = (mb: number) => Math.round(mb)
  return {
    seconds,
    connections,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    webhooks: { deliveredDuringLoad: deliveredAtEnd, pendingAtEnd: left, delivered, leftAfter120s: leftAfterLimit },
    drainedMs: drainedMs === undefined ? null : Math.round(drainedMs),
    drainedWithinLimit: drainedMs !== undefined && drainedMs <= DRAIN_LIMIT_MS,
    rssMb: { start: round(rssStartMb), endOfLoad: round(rssEndMb), drained: round(rssDrainedMb) },
    rssBackWithin20Pct: rssDrainedMb <= rssStartMb * 1.2,
    serverCpuS: Math.round(cpuS * 10) / 10
  }
}

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sign, signMatches } from '../src/auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../src/demo-credentials.js'
import { SERVER, startServer } from './server-process.js'

const SECRET = 'bench-webhook-secret-key'

function percentile (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 100) / 100
}

/** Sequential deposits; for each, the time until its first and its last webhook arrive, verified, at a local receiver. */
export async function measureDepositToWebhook (databasePath: string, count: number, build = SERVER) {
  const arrivals = new Map<string, (eventType: string) => void>()
  let unverified = 0
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const raw = Buffer.concat(chunks)
      if (!signMatches(raw, SECRET, String(request.headers.sign))) unverified++
      response.end('OK')
      const event = JSON.parse(raw.toString()) as { eventType: string, data: { transactionHash: string } }
      arrivals.get(event.data.transactionHash)?.(event.eventType)
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const port = (receiver.address() as AddressInfo).port
  const server = await startServer({
    DATABASE_PATH: databasePath,
    WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
    WEBHOOK_PUBLIC_KEY: 'bench-webhook-public-key',
    WEBHOOK_SECRET_KEY: SECRET
  }, build)
  const body = JSON.stringify({ timestamp: Date.now(), account: DEFAULT_ACCOUNT, payload: {} })
  const created = await fetch(`${server.url}/api/v1/customer-purse/customer/create`, {
    method: 'POST', headers: { 'content-type': 'application/json', Key: DOCS_API_KEY, Sign: sign(body, DOCS_API_SECRET) }, body
  })
  const customer = await created.json() as { id: string }

  const first: number[] = []
  const last: number[] = []
  for (let i = 0; i < count; i++) {
    const hash = `bench-${i}`
    const started = performance.now()
    const done = new Promise<void>((resolve) => {
      arrivals.set(hash, (eventType) => {
        if (eventType === 'CUSTOMER_PURSE_MEM_POOL_FOUND') first.push(performance.now() - started)
        if (eventType === 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED') {
          last.push(performance.now() - started)
          resolve()
        }
      })
    })
    const res = await fetch(`${server.url}/_mock/deposits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: customer.id, currency: 'USDT_TRX', amount: 1, transactionHash: hash })
    })
    if (res.status !== 201) throw new Error(`deposit ${i}: ${res.status} ${await res.text()}`)
    await done
    arrivals.delete(hash)
  }
  await server.stop()
  receiver.close()
  return {
    deposits: count,
    unverified,
    first: { p50: percentile(first, 0.5), p99: percentile(first, 0.99) },
    last: { p50: percentile(last, 0.5), p99: percentile(last, 0.99) }
  }
}

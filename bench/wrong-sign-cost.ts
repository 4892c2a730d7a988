/**
 * CPU of refusing a 1 MB body with a wrong Sign against the same body with an unknown Key (issue
 * 11, item 3): a wrong Sign must cost no more than an unknown key. In process, through app.inject.
 * Run: node --import tsx bench/wrong-sign-cost.ts
 */
import { buildApp } from '../src/app.js'
import { testConfig } from '../src/config.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 40)
const app = await buildApp(testConfig())
const creds = app.config.accounts[0]!
const payload = { description: 'x'.repeat(900), items: Array.from({ length: 1000 }, (_, i) => ({ i, name: `item-${i}`, tags: ['a', 'b', 'c'] })) }
let body = JSON.stringify({ account: creds.account, timestamp: Date.now(), payload })
body += ' '.repeat(Math.max(0, 1_000_000 - Buffer.byteLength(body)))

async function cpuMs (headers: Record<string, string>): Promise<number> {
  const send = () => app.inject({ method: 'POST', url: '/api/v1/customer-purse/customer/create', payload: body, headers: { 'content-type': 'application/json', ...headers } })
  for (let i = 0; i < 5; i++) await send()
  const before = process.cpuUsage()
  for (let i = 0; i < RUNS; i++) {
    const res = await send()
    if (res.statusCode !== 400) throw new Error(`expected 400, got ${res.statusCode}`)
  }
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1000 / RUNS
}

const unknownKey = await cpuMs({ key: 'no-such-api-key', sign: 'ab'.repeat(64) })
const wrongSign = await cpuMs({ key: creds.apiKey, sign: 'ab'.repeat(64) })
await app.close()
console.log(JSON.stringify({ bodyBytes: Buffer.byteLength(body), runs: RUNS, unknownKeyCpuMs: +unknownKey.toFixed(2), wrongSignCpuMs: +wrongSign.toFixed(2), ratio: +(wrongSign / unknownKey).toFixed(2) }))

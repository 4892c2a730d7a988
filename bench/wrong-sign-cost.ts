/**
 * CPU of refusing a 1 MB body with a wrong Sign against the same body with an unknown Key: the
 * mismatch hint must not make a wrong Sign dearer than the one HMAC that checking it needs.
 * In process, through app.inject. Run: node --import tsx bench/wrong-sign-cost.ts
 * Measured 2026-11-25 (2 cores, shared): unknown Key 2.6 ms, wrong Sign 3.3 to 4.0 ms (1.2x to 1.5x; 6.9 ms, 2.5x,
 * when the hint re-serialised the body); the difference is the HMAC-SHA512 of 1 MB.
 */
import { buildApp } from '../src/app.js'
import { testConfig } from '../src/test-config.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 40)
const app = await buildApp(testConfig())
const creds = app.config.accounts[0]!
const payload = { description: 'x'.repeat(900), items: Array.from({ length: 1000 }, (_, i) => ({ i, name: `item-${i}`, tags: ['a', 'b', 'c'] })) }
let body = JSON.stringify({ account: creds.account, timestamp: Date.now(), payload })
body += ' '.repeat(Math.max(0, 1_000_000 - Buffer.byteLength(body)))

function send (headers: Record<string, string>) {
  return app.inject({ method: 'POST', url: '/api/v1/customer-purse/customer/create', payload: body, headers: { 'content-type': 'application/json', ...headers } })
}

/** CPU milliseconds per refused request, measured in alternating rounds so neither side gets the warmer process. */
async function measure (cases: Record<string, Record<string, string>>, rounds = 4): Promise<Record<string, number>> {
  const used: Record<string, number> = Object.fromEntries(Object.keys(cases).map((name) => [name, 0]))
  for (const headers of Object.values(cases)) for (let i = 0; i < 5; i++) await send(headers)
  for (let round = 0; round < rounds; round++) {
    for (const [name, headers] of Object.entries(cases)) {
      const before = process.cpuUsage()
      for (let i = 0; i < RUNS / rounds; i++) {
        const res = await send(headers)
        if (res.statusCode !== 400) throw new Error(`${name}: expected 400, got ${res.statusCode}`)
      }
      const cpu = process.cpuUsage(before)
      used[name] = (used[name] ?? 0) + (cpu.user + cpu.system) / 1000
    }
  }
  return Object.fromEntries(Object.entries(used).map(([name, ms]) => [name, ms / RUNS]))
}

const { unknownKey, wrongSign } = await measure({
  unknownKey: { key: 'no-such-api-key', sign: 'ab'.repeat(64) },
  wrongSign: { key: creds.apiKey, sign: 'ab'.repeat(64) }
}) as { unknownKey: number, wrongSign: number }
await app.close()
console.log(JSON.stringify({ bodyBytes: Buffer.byteLength(body), runs: RUNS, unknownKeyCpuMs: +unknownKey.toFixed(2), wrongSignCpuMs: +wrongSign.toFixed(2), ratio: +(wrongSign / unknownKey).toFixed(2) }))

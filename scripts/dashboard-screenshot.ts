/**
 * Takes the README's screenshot of the dashboard (docs/dashboard.png): the mock seeded with
 * examples/seed.yaml, webhooks to a local receiver, one refused call, and a blocked customer's page.
 * Run: node --import tsx scripts/dashboard-screenshot.ts
 */
import { createServer } from 'node:http'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../src/app.js'
import { testConfig } from '../src/test-config.js'
import { launchChromium } from '../test/support/chromium.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const cleanups: Array<() => unknown> = []
const receiver = createServer((req, res) => { req.resume(); req.on('end', () => res.end('OK')) })
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
cleanups.push(() => new Promise((resolve) => receiver.close(resolve)))
const { port } = receiver.address() as { port: number }
const base = testConfig()
const app = await buildApp(testConfig({ seedFile: `${ROOT}examples/seed.yaml`, webhook: { ...base.webhook, url: `http://127.0.0.1:${port}/calypso/webhooks`, retryScale: 0.001 } }))
cleanups.push(() => app.close())
try {
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  await app.inject({ method: 'POST', url: '/api/v1/customer-purse/customer/create', headers: { 'content-type': 'application/json', key: base.accounts[0]!.apiKey, sign: '0'.repeat(128) }, payload: '{}' })
  const browser = await launchChromium({ teardown: (fn) => { cleanups.unshift(fn) } })
  const page = await browser.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto(`${url}/_mock/dashboard/#/customers`)
  await page.getByRole('link', { name: 'bob@example.com' }).click()
  await page.getByRole('heading', { name: 'bob@example.com', level: 1 }).waitFor()
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor()
  await page.getByRole('cell', { name: /HTTP 200/ }).first().waitFor()
  mkdirSync(`${ROOT}docs`, { recursive: true })
  await page.screenshot({ path: `${ROOT}docs/dashboard.png`, fullPage: true })
  process.stdout.write('wrote docs/dashboard.png\n')
} finally {
  for (const cleanup of cleanups) await cleanup()
}

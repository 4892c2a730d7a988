// Starts the bundled server once in this process, sends it the requests a test suite sends first,
// and writes V8's code cache for every function that ran, beside the bundle. Run by scripts/build.ts.
import { createHmac } from 'node:crypto'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const outDir = process.argv[2]
const { BUNDLE_FILE, loadBundle } = await import(pathToFileURL(join(outDir, 'bundle-loader.js')).href)
const bundle = loadBundle(join(outDir, BUNDLE_FILE))
const { app } = await bundle.exports.start(['--port', '0', '--host', '127.0.0.1', '--db', ':memory:', '--log-level', 'silent'], { PATH: process.env.PATH })
const [{ account, apiKey, apiSecret }] = app.config.accounts

async function signed (path, payload) {
  const body = JSON.stringify({ timestamp: Date.now(), account, payload })
  const sign = createHmac('sha512', apiSecret).update(body).digest('hex')
  const res = await app.inject({ method: 'POST', url: `/api/v1/${path}`, headers: { 'content-type': 'application/json', Key: apiKey, Sign: sign }, payload: body })
  if (res.statusCode !== 200) throw new Error(`warm-up ${path}: ${res.statusCode} ${res.body}`)
  return res.json()
}

const customer = await signed('customer-purse/customer/create', { email: 'warm-up@example.com' })
await signed('customer-purse/customer/block', { customerId: customer.id })
await signed('customer-purse/address/get', { customerId: customer.id, currency: 'USDT_TRX' })
await signed('customer-purse/customer/update', { id: customer.id, description: 'warm' })
await app.inject({ method: 'GET', url: '/health' })
bundle.writeCodeCache()
await app.close()

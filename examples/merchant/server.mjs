// An example merchant service for docker-compose.yml: it receives Calypso webhooks, checks their
// signature over the raw bytes, and (with CALYPSO_URL set) runs one demo flow against the mock:
// create a customer, block it, fake a deposit. No dependencies: plain Node 20.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'

const port = Number(process.env.PORT ?? 3000)
/** The path of the mock's WEBHOOK_URL in docker-compose.yml. */
const webhookPath = '/calypso/webhooks'
const webhookSecret = process.env.WEBHOOK_SECRET_KEY ?? ''
if (webhookSecret === '') {
  // With an empty key anyone could forge a valid Sign.
  console.error('WEBHOOK_SECRET_KEY is required: the secret the mock signs webhooks with')
  process.exit(1)
}
const calypsoUrl = process.env.CALYPSO_URL
const account = process.env.CALYPSO_ACCOUNT ?? '0xca11ab1e00000000000000000000000000000001'
const apiKey = process.env.CALYPSO_API_KEY ?? 'c529e14832b34b74972365cf7bf02430'
const apiSecret = process.env.CALYPSO_API_SECRET ?? 'b823a6b9ea72408583cef9ec8d67fa52'

function verified (raw, sign) {
  if (typeof sign !== 'string' || !/^[0-9a-f]{128}$/i.test(sign)) return false
  return timingSafeEqual(createHmac('sha512', webhookSecret).update(raw).digest(), Buffer.from(sign, 'hex'))
}

const seen = new Set()
const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== webhookPath) { res.statusCode = 404; res.end(); return }
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    const raw = Buffer.concat(chunks)
    if (!verified(raw, req.headers.sign)) {
      console.log(JSON.stringify({ msg: 'webhook refused: bad signature' }))
      res.statusCode = 401
      res.end('bad signature')
      return
    }
    let event
    try {
      event = JSON.parse(raw.toString('utf8'))
    } catch {
      console.log(JSON.stringify({ msg: 'webhook refused: not JSON' }))
      res.statusCode = 400
      res.end('not JSON')
      return
    }
    // Calypso retries until it gets a 200, so the same event id may arrive more than once.
    const duplicate = seen.has(event.id)
    seen.add(event.id)
    console.log(JSON.stringify({ msg: 'webhook', id: event.id, eventType: event.eventType, customerId: event.data?.customerId, customerBlocked: event.data?.customerBlocked, duplicate }))
    res.statusCode = 200
    res.end('OK')
  })
})

async function calypso (path, payload) {
  const body = JSON.stringify({ account, timestamp: Date.now(), payload })
  const res = await fetch(`${calypsoUrl}/api/v1/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Key: apiKey, Sign: createHmac('sha512', apiSecret).update(body).digest('hex') },
    body
  })
  const json = await res.json()
  if (res.status !== 200) throw new Error(`${path}: ${json.errorCode} ${json.message}`)
  return json
}

async function demo () {
  const customer = await calypso('customer-purse/customer/create', { email: 'compose@example.com' })
  await calypso('customer-purse/customer/block', { customerId: customer.id })
  const res = await fetch(`${calypsoUrl}/_mock/deposits`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ customerId: customer.id, currency: 'USDT_TRX', amount: 10 })
  })
  console.log(JSON.stringify({ msg: 'demo deposit', status: res.status, customerId: customer.id }))
}

server.listen(port, '0.0.0.0', () => {
  console.log(JSON.stringify({ msg: 'merchant listening', port: server.address().port }))
  if (calypsoUrl !== undefined) demo().catch((err) => console.log(JSON.stringify({ msg: 'demo failed', error: err.message })))
})
// As PID 1 in its container, node must handle the stop signal itself.
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => server.close(() => process.exit(0)))

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { sign } from '../../src/auth/signature.js'
import { startCalypsoMock } from '../../src/index.js'
import { startReceiver } from '../webhook-receiver.js'
import { ROOT, readDockerfile } from './dockerfile-parser.js'

interface Service {
  build?: string
  image?: string
  command?: string[]
  ports?: string[]
  environment?: Record<string, string>
  volumes?: string[]
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string }>
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service>, volumes: Record<string, unknown> }
const mock = compose.services['calypso-mock']!
const merchant = compose.services.merchant!

t.test('docker-compose.yml: the mock and a merchant that reach each other by service name', async (t) => {
  t.equal(mock.build, '.')
  t.same(mock.healthcheck?.test.slice(0, 2), ['CMD', 'node'], 'the healthcheck runs node (the image has no curl)')
  t.match(mock.healthcheck?.test.join(' '), /127\.0\.0\.1:8080\/health/)
  t.same(merchant.depends_on, { 'calypso-mock': { condition: 'service_healthy' } })

  const webhookUrl = new URL(mock.environment!.WEBHOOK_URL!)
  t.equal(webhookUrl.hostname, 'merchant', 'webhooks go to the merchant by service name')
  t.equal(webhookUrl.port, merchant.environment!.PORT, 'on the port the merchant listens on')
  const calypsoUrl = new URL(merchant.environment!.CALYPSO_URL!)
  t.equal(calypsoUrl.hostname, 'calypso-mock', 'the merchant calls the mock by service name')
  const imagePort = /PORT=(\d+)/.exec(readDockerfile().at(-1)!.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' '))?.[1]
  t.equal(calypsoUrl.port, imagePort, 'on the port the image listens on')
  t.equal(merchant.environment!.WEBHOOK_SECRET_KEY, mock.environment!.WEBHOOK_SECRET_KEY, 'both sides share the webhook secret')

  t.ok(mock.volumes?.includes('calypso-data:/data'), 'the database is on a named volume')
  t.ok('calypso-data' in compose.volumes)
  const mounted = merchant.volumes?.[0]?.split(':')[0] ?? ''
  t.ok(existsSync(join(ROOT, mounted, merchant.command!.at(-1)!)), `${mounted}/${merchant.command!.at(-1)} exists`)
})

t.test('the example merchant runs its demo against the mock and verifies every webhook', async (t) => {
  const secret = merchant.environment!.WEBHOOK_SECRET_KEY!
  const reserved = await startReceiver(t)
  const port = reserved.port
  await reserved.close()
  const calypso = await startCalypsoMock({ webhookUrl: `http://127.0.0.1:${port}/calypso/webhooks`, webhookPublicKey: mock.environment!.WEBHOOK_PUBLIC_KEY!, webhookSecretKey: secret })
  t.teardown(() => calypso.close())

  const child = spawn(process.execPath, [join(ROOT, 'examples/merchant/server.mjs')], {
    env: { ...merchant.environment, PORT: String(port), CALYPSO_URL: calypso.url, PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => { child.kill('SIGKILL') })
  const lines: Array<Record<string, unknown>> = []
  let buffered = ''
  const fourWebhooks = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const parts = buffered.split('\n')
      buffered = parts.pop() ?? ''
      for (const line of parts) lines.push(JSON.parse(line) as Record<string, unknown>)
      if (lines.filter((l) => l.msg === 'webhook').length >= 4) resolve()
    })
  })
  await fourWebhooks
  t.match(lines.find((l) => l.msg === 'demo deposit'), { status: 201 })
  const webhooks = lines.filter((l) => l.msg === 'webhook')
  t.ok(webhooks.every((l) => l.customerBlocked === true), 'the demo customer is blocked, and every event says so')

  const body = '{"id":1,"eventType":"X","data":{}}'
  const forged = await fetch(`http://127.0.0.1:${port}/calypso/webhooks`, { method: 'POST', body, headers: { Sign: sign(body, 'not-the-secret') } })
  t.equal(forged.status, 401, 'a wrongly signed webhook is refused')
  const genuine = await fetch(`http://127.0.0.1:${port}/calypso/webhooks`, { method: 'POST', body, headers: { Sign: sign(body, secret) } })
  t.equal(genuine.status, 200)
  child.kill('SIGTERM')
  t.same(await once(child, 'exit'), [0, null])
})

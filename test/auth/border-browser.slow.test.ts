import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { BrowserContext, Page } from 'playwright-core'
import t from 'tap'
import { build, createCustomer } from '../support/helper.js'
import { launchChromium } from '../support/chromium.js'
import { fileTimeout } from '../support/time-scale.js'

// evil.test resolves to this machine, as a rebinding name does once its short-lived record changes.
// Chromium's own check of a public page calling a local address (Private/Local Network Access) is
// turned off: Firefox and Safari have none, and the mock must hold without it.
const NO_LOCAL_NETWORK_CHECKS = '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks'
let browser: BrowserContext
fileTimeout(180_000)
t.before(async () => { browser = await launchChromium(t, ['--host-resolver-rules=MAP evil.test 127.0.0.1', NO_LOCAL_NETWORK_CHECKS]) })

interface Teardown { teardown: (fn: () => unknown) => void }

async function serveMock (t: Teardown): Promise<{ app: FastifyInstance, url: string, port: number }> {
  const app = await build(t)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url, port: Number(new URL(url).port) }
}

/** Another site on this machine: one page, on another port of 127.0.0.1. */
async function serveAttacker (t: Teardown, html: string): Promise<string> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  // The browser keeps its connections (and opens spare ones): close them with the server.
  t.teardown(() => new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  }))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

async function newPage (t: Teardown): Promise<Page> {
  const page = await browser.newPage()
  t.teardown(() => page.close())
  return page
}

/** What the mock holds, counted: a refused attack leaves every count as it was. */
async function holdings (app: FastifyInstance) {
  const get = async (url: string) => (await app.inject({ method: 'GET', url })).json() as Record<string, unknown[]>
  return {
    accounts: (await get('/_mock/accounts')).accounts!.length,
    customers: (await get('/_mock/customers')).customers!.length,
    faults: (await get('/_mock/faults')).faults!.length,
    webhookFaults: (await get('/_mock/webhooks/faults')).faults!.length
  }
}

t.test('a page on another port of 127.0.0.1: its no-cors POSTs change nothing', async (t) => {
  const { app, url } = await serveMock(t)
  await createCustomer(app)
  const before = await holdings(app)
  const attacker = await serveAttacker(t, `<!doctype html><script>
    window.done = Promise.allSettled([
      fetch('${url}/_mock/accounts', { method: 'POST', mode: 'no-cors' }),
      fetch('${url}/_mock/accounts', { method: 'POST', mode: 'no-cors', body: '{}' }),
      fetch('${url}/_mock/reset', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{}' }),
      fetch('${url}/_mock/webhooks/faults', { method: 'POST', mode: 'no-cors' }),
      fetch('${url}/_mock/faults', { method: 'POST', mode: 'no-cors', body: JSON.stringify({ path: 'customer-purse/customer/create', errorCode: '000' }) })
    ]).then((results) => results.map((r) => r.status))
  </script>`)
  const page = await newPage(t)
  await page.goto(attacker)
  t.same(await page.evaluate('window.done'), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'], 'the browser sent every request')
  t.same(await holdings(app), before, 'nothing was created, queued or reset')
})

t.test('a page on another port includes the docs\' signing script and /_mock/accounts: no secret reaches it', async (t) => {
  const { app, url } = await serveMock(t)
  const [main] = app.config.accounts
  const attacker = await serveAttacker(t, `<!doctype html>
    <script>window.included = []; window.onerror = () => {}</script>
    <script src="${url}/docs/static/theme/docs-signing.js" onload="included.push('docs')" onerror="included.push('docs refused')"></script>
    <script src="${url}/_mock/accounts" onload="included.push('accounts')" onerror="included.push('accounts refused')"></script>`)
  const page = await newPage(t)
  await page.goto(attacker)
  await page.waitForFunction('window.included.length === 2')
  t.same(await page.evaluate('window.included'), ['docs', 'accounts refused'], 'the script loads; /_mock is refused to another site')
  const defaults = await page.evaluate('window.calypsoDocsDefaults') as Record<string, unknown>
  t.same(defaults, { account: main!.account, apiKey: main!.apiKey }, 'the account and api key only')
  const html = await page.content()
  t.notOk(html.includes(main!.apiSecret), 'the secret is nowhere in the page')
})

t.test('a page whose name was rebound to this machine cannot read, reset or list the mock', async (t) => {
  const { app, port } = await serveMock(t)
  await createCustomer(app)
  const before = await holdings(app)
  const page = await newPage(t)
  const origin = `http://evil.test:${port}`
  // The attacker's server answered the first load of the page; its name now points at the mock.
  await page.route(`${origin}/`, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><script>
      const read = (res) => res.text().then((text) => ({ status: res.status, text }))
      window.done = Promise.all([
        fetch('/_mock/accounts').then(read),
        fetch('/_mock/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(read),
        fetch('/docs/static/theme/docs-signing.js').then(read),
        fetch('/_mock/events').then(read)
      ])
    </script>`
  }))
  await page.goto(`${origin}/`)
  const answers = await page.evaluate('window.done') as Array<{ status: number, text: string }>
  t.same(answers.map((a) => a.status), [403, 403, 403, 403], 'every call is refused')
  for (const answer of answers) t.match(JSON.parse(answer.text), { errorCode: '001', message: /Host "evil\.test:\d+" is not a name this mock answers to/ })
  t.notOk(answers.some((a) => a.text.includes(app.config.accounts[0]!.apiSecret)), 'no secret was read')
  t.same(await holdings(app), before, 'nothing was reset')
  t.equal(app.live.clients(), 0, 'no event stream was opened')
})

t.test('the mock\'s own pages still work: /docs fills the secret in from /_mock/accounts', async (t) => {
  const { app, url } = await serveMock(t)
  const page = await newPage(t)
  await page.goto(`${url}/docs`)
  const secret = page.getByLabel('Api secret')
  await page.waitForFunction('(document.querySelector(\'input[name="apiSecret"]\')?.value ?? \'\') !== \'\'')
  t.equal(await secret.inputValue(), app.config.accounts[0]!.apiSecret)
})

t.test('/docs cannot be framed by a page on another site', async (t) => {
  const { url } = await serveMock(t)
  const attacker = await serveAttacker(t, `<!doctype html><iframe src="${url}/docs" onload="window.framed = true"></iframe>`)
  const page = await newPage(t)
  await page.goto(attacker)
  await page.waitForFunction('window.framed === true')
  const frame = page.frames().find((f) => f !== page.mainFrame())!
  t.not(frame.url(), `${url}/docs`, 'the frame shows the browser\'s refusal, not the docs')
  t.equal(await frame.locator('#swagger-ui').count(), 0)
})

t.test('a locked dashboard asks for the token and shows nothing else (no stray "null")', async (t) => {
  const app = await build(t, { adminToken: 'a-long-admin-token' })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const page = await newPage(t)
  await page.goto(`${url}/_mock/dashboard/`)
  await page.getByRole('heading', { name: 'This mock is locked' }).waitFor()
  const text = await page.locator('main').textContent()
  t.notOk(text?.includes('null'), `the page reads: ${text}`)
})

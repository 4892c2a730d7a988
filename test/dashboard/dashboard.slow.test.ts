import type { BrowserContext, Locator, Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { createCustomer, deposit, serve, signedPost, webhookConfig } from '../support/helper.js'
import { fileTimeout, outcomeWithin } from '../support/time-scale.js'
import { startReceiver } from '../support/webhook-receiver.js'
import { launchChromium, openPage } from '../support/chromium.js'

// A browser, a page per test: more than a minute on a busy runner.
fileTimeout(180_000)

// One browser for the whole file; each test opens its own pages on its own app.
let browser: BrowserContext
t.before(async () => { browser = await launchChromium(t) })

function open (t: { teardown: (fn: () => unknown) => void }, url: string): Promise<Page> {
  return openPage(browser, t, url)
}

/**
 * Asserts that `locator` reaches `state` within the browser's wait, naming what that shows: a page
 * that never gets there fails this assertion, with playwright's reason, not the file's timeout.
 */
async function shows (t: Test, locator: Locator, what: string, state: 'visible' | 'hidden' = 'visible'): Promise<void> {
  t.equal(await outcomeWithin(locator.waitFor({ state }), 20_000), 'resolved', what)
}

/** Waits for the live stream: the page says Live once /_mock/events has answered. */
async function live (page: Page): Promise<void> {
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor()
}

t.test('customers appear, and a deposit made through the API shows up live on the customer\'s page', async (t) => {
  const { app, url } = await serve(t)
  await createCustomer(app, { email: 'alice@example.com', externalId: 'alice-1' })
  const page = await open(t, `${url}/_mock/dashboard/`)
  await page.getByRole('cell', { name: 'alice@example.com' }).waitFor()
  await live(page)

  const bob = await createCustomer(app, { email: 'bob@example.com' })
  await shows(t, page.getByRole('cell', { name: 'bob@example.com' }), 'a customer created through the API appears without a reload')

  await page.getByRole('link', { name: 'bob@example.com' }).click()
  await page.getByRole('heading', { name: 'bob@example.com', level: 1 }).waitFor()
  await live(page)
  await deposit(app, { customerId: bob.id, currency: 'USDT_TRX', amount: 125.5 })
  const row = page.getByRole('row').filter({ hasText: '125.5' })
  await row.getByText('CONFIRMED').waitFor()
  t.equal(await row.getByRole('cell').nth(2).textContent(), 'USDT_TRX')
  await page.getByRole('cell', { name: 'USDT_TRX' }).first().waitFor()
  t.equal(await page.getByRole('table').filter({ hasText: 'Purses' }).getByText('PENDING_PAYMENT').count(), 1, 'and its purse')
})

t.test('Block works, and the API agrees', async (t) => {
  const { app, url } = await serve(t)
  const carol = await createCustomer(app, { email: 'carol@example.com' })
  const page = await open(t, `${url}/_mock/dashboard/#/customers`)
  const row = page.getByRole('row').filter({ hasText: 'carol@example.com' })
  await row.getByRole('button', { name: 'Block', exact: true }).click()
  await row.getByRole('button', { name: 'Unblock', exact: true }).waitFor()
  await row.getByText('Blocked').waitFor()
  const res = await signedPost(app, 'customer-purse/customer/update', { id: carol.id })
  t.match(res.json(), { id: carol.id, blocked: true }, 'the API says blocked')
  const journal = (await app.inject({ method: 'GET', url: '/_mock/requests' })).json() as { requests: Array<{ path: string, status: number }> }
  t.match(journal.requests.find((r) => r.path.endsWith('/customer/block')), { status: 200 }, 'the page called the signed API route')

  await row.getByRole('button', { name: 'Unblock', exact: true }).click()
  await row.getByRole('button', { name: 'Block', exact: true }).waitFor()
  t.match((await signedPost(app, 'customer-purse/customer/update', { id: carol.id })).json(), { blocked: false })
})

t.test('a bad form value shows the route\'s message next to the field and changes nothing', async (t) => {
  const { app, url } = await serve(t)
  const dave = await createCustomer(app, { email: 'dave@example.com' })
  const page = await open(t, `${url}/_mock/dashboard/#/customers/${dave.id}`)
  const form = page.getByRole('form', { name: 'Fake a deposit' })
  await form.getByLabel('Amount').fill('-5')
  await form.getByRole('button', { name: 'Fake deposit' }).click()
  const amount = form.getByLabel('Amount')
  await form.locator('[aria-invalid="true"]').waitFor()
  t.equal(await amount.getAttribute('aria-invalid'), 'true')
  const describedBy = (await amount.getAttribute('aria-describedby'))!.split(' ').at(-1)!
  const message = await page.locator(`[id="${describedBy}"]`).textContent()
  const refused = await app.inject({ method: 'POST', url: '/_mock/deposits', payload: { customerId: dave.id, currency: 'USDT_TRX', amount: -5 } })
  t.equal(message, `001 ${refused.json().message}`, 'the route\'s own message, next to the Amount field')
  t.same((await app.inject({ method: 'GET', url: `/_mock/transactions?customerId=${dave.id}` })).json(), { transactions: [] }, 'nothing changed')

  await amount.fill('3')
  await form.getByLabel('Stop at').selectOption('PENDING_COMPLIANCE_CHECK')
  await form.getByRole('button', { name: 'Fake deposit' }).click()
  await page.getByRole('button', { name: 'Advance' }).click()
  await page.getByRole('row').filter({ hasText: 'CONFIRMED' }).waitFor()
  t.match((await app.inject({ method: 'GET', url: `/_mock/transactions?customerId=${dave.id}` })).json(), { transactions: [{ amount: 3, transactionState: 'CONFIRMED', translationToAccountCompleted: true }] }, 'a paused deposit, advanced')
})

t.test('redeliver works', async (t) => {
  const receiver = await startReceiver(t)
  const { app, url } = await serve(t, { webhook: webhookConfig(receiver.url) })
  receiver.setSecret(app.webhooks.configured!.secretKey)
  const erin = await createCustomer(app, { email: 'erin@example.com' })
  await deposit(app, { customerId: erin.id, currency: 'ETH', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await receiver.waitFor((r) => r.length === 1)
  const page = await open(t, `${url}/_mock/dashboard/#/deliveries`)
  const first = page.getByRole('row').filter({ has: page.getByRole('link', { name: '#1', exact: true }) })
  await first.getByRole('button', { name: 'Redeliver' }).click()
  const second = page.getByRole('row').filter({ has: page.getByRole('link', { name: '#2', exact: true }) })
  await second.getByText('delivered').waitFor()
  await receiver.waitFor((r) => r.length === 2)
  t.same(receiver.received.map((r) => r.body.id), [1, 1], 'the same event, sent again')
  t.ok(receiver.received.every((r) => r.verified))

  await second.getByRole('link', { name: '#2', exact: true }).click()
  await page.getByRole('heading', { name: 'Webhook delivery #2' }).waitFor()
  t.equal(await page.getByLabel('Exact body').textContent(), receiver.received[1]!.rawBody, 'the exact bytes sent')
  await page.getByRole('cell', { name: 'HTTP 200' }).waitFor()
})

t.test('locked means locked: no data until the token is given, kept for the tab only', async (t) => {
  const { app, url } = await serve(t, { adminToken: 'dashboard-admin-token' })
  await createCustomer(app, { email: 'frank@example.com' })
  const page = await open(t, `${url}/_mock/dashboard/`)
  await page.getByRole('heading', { name: 'This mock is locked' }).waitFor()
  t.equal(await page.getByText('frank@example.com').count(), 0, 'no customer shown')
  t.equal(await page.getByRole('navigation').count(), 0, 'no views offered')

  const token = page.getByLabel('Admin token')
  await token.fill('wrong-token-value')
  await page.getByRole('button', { name: 'Unlock' }).click()
  await page.getByText('/_mock API needs the header').waitFor()
  t.equal(await token.getAttribute('aria-invalid'), 'true', 'the refusal is told next to the field')

  await token.fill('dashboard-admin-token')
  await page.getByRole('button', { name: 'Unlock' }).click()
  await page.getByRole('cell', { name: 'frank@example.com' }).waitFor()
  await live(page)
  await createCustomer(app, { email: 'grace@example.com' })
  await shows(t, page.getByRole('cell', { name: 'grace@example.com' }), 'unlocked, and live')

  await page.reload()
  await shows(t, page.getByRole('cell', { name: 'frank@example.com' }), 'asked once: a reload keeps the token')
  const other = await open(t, `${url}/_mock/dashboard/`)
  await shows(t, other.getByRole('heading', { name: 'This mock is locked' }), 'another tab asks again')
  t.equal(await other.getByText('frank@example.com').count(), 0, 'and shows no customer')
})

t.test('faults are added and cleared from the page; reset asks for a confirmation', async (t) => {
  const { app, url } = await serve(t)
  await createCustomer(app, { email: 'heidi@example.com' })
  const page = await open(t, `${url}/_mock/dashboard/#/faults`)
  const form = page.getByRole('form', { name: 'Add a fault' })
  await form.getByLabel('Error code').selectOption('000')
  await form.getByLabel('Times').fill('2')
  await form.getByRole('button', { name: 'Add fault' }).click()
  await page.getByRole('cell', { name: '2 of 2' }).waitFor()
  await signedPost(app, 'customer-purse/customer/create', {})
  await shows(t, page.getByRole('cell', { name: '1 of 2' }), 'a call that uses the fault is seen live')
  await page.getByRole('button', { name: 'Clear all faults' }).click()
  await page.getByRole('cell', { name: 'No fault waiting.' }).waitFor()
  t.same((await app.inject({ method: 'GET', url: '/_mock/faults' })).json(), { faults: [] })

  await page.getByRole('link', { name: /Request journal/ }).click()
  const refused = page.getByRole('row').filter({ hasText: '/api/v1/customer-purse/customer/create' })
  await refused.getByText('000').waitFor()
  t.equal(await page.getByRole('link', { name: /Request journal/ }).textContent(), 'Request journal 1 refused')

  await page.getByRole('button', { name: 'Reset…' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
  t.equal((await app.inject({ method: 'GET', url: '/_mock/customers' })).json().customers.length, 1, 'cancel keeps everything')
  await page.getByRole('button', { name: 'Reset…' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Reset everything' }).click()
  await page.getByRole('cell', { name: 'No refused call.' }).waitFor()
  t.same((await app.inject({ method: 'GET', url: '/_mock/customers' })).json(), { customers: [] }, 'confirmed, everything is gone')
  await shows(t, page.getByRole('link', { name: /Request journal/ }).getByText('refused'), 'and the journal with it: no refused call counted', 'hidden')
})

t.test('/docs signs a call it tries: a create returns 200, with the signed body and headers shown', async (t) => {
  const { app, url } = await serve(t)
  const page = await open(t, `${url}/docs`)
  const operation = page.locator('.opblock').filter({ hasText: '/api/v1/customer-purse/customer/create' })
  await operation.locator('.opblock-summary').click()
  await operation.getByRole('button', { name: 'Execute' }).click()
  const status = operation.locator('.live-responses-table .response .response-col_status').first()
  await status.waitFor()
  t.equal((await status.textContent())?.trim(), '200')
  const signed = await page.getByLabel('Last signed request').textContent()
  t.match(signed, /^POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/customer-purse\/customer\/create\nContent-Type: application\/json\nKey: c529e14832b34b74972365cf7bf02430\nSign: [0-9a-f]{128}\n\n\{"account":"0xca11ab1e00000000000000000000000000000001","timestamp":\d+,/)
  const { customers } = (await app.inject({ method: 'GET', url: '/_mock/customers' })).json() as { customers: unknown[] }
  t.equal(customers.length, 1, 'the customer was created')
})

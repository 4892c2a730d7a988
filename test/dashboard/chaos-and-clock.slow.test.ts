import type { BrowserContext, Page } from 'playwright-core'
import t from 'tap'
import { launchChromium, openPage } from '../support/chromium.js'
import { createCustomer, deposit, serve, webhookConfig } from '../support/helper.js'
import { fileTimeout } from '../support/time-scale.js'
import { startReceiver } from '../support/webhook-receiver.js'

// A browser: a minute or more on a busy runner.
fileTimeout(180_000)

let browser: BrowserContext
t.before(async () => { browser = await launchChromium(t) })

function open (t: { teardown: (fn: () => unknown) => void }, url: string): Promise<Page> {
  return openPage(browser, t, url)
}

t.test('the test clock: advancing from the page fires the retries before it answers', async (t) => {
  const receiver = await startReceiver(t)
  receiver.answer(() => 500)
  const { app, url } = await serve(t, { webhook: webhookConfig(receiver.url, { retryScale: 1 }) })
  await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await receiver.waitFor((r) => r.length === 1)
  const page = await open(t, `${url}/_mock/dashboard/#/chaos`)
  await page.getByText('(the machine\'s time)').waitFor()
  const form = page.getByRole('form', { name: 'Advance the clock' })
  await form.getByLabel('By (ms)').fill('90000')
  await form.getByRole('button', { name: 'Advance' }).click()
  await page.getByText('(90 s ahead of the machine)').waitFor()
  t.equal(receiver.received.length, 3, 'the retries at 30 s and 60 s were sent')
  t.equal((await app.inject({ method: 'GET', url: '/_mock/clock' })).json().offsetMs, 90_000)

  await form.getByLabel('By (ms)').fill('-1')
  await form.getByRole('button', { name: 'Advance' }).click()
  await form.locator('[aria-invalid="true"]').waitFor()
  t.equal((await app.inject({ method: 'GET', url: '/_mock/clock' })).json().offsetMs, 90_000, 'a refused advance moves nothing')

  await page.getByRole('button', { name: 'Put the clock back' }).click()
  await page.getByText('(the machine\'s time)').waitFor()
  t.equal((await app.inject({ method: 'GET', url: '/_mock/clock' })).json().offsetMs, 0)
})

t.test('webhook faults: a refused kind shows the route\'s message by its field; a good one is listed, then cleared', async (t) => {
  const { app, url } = await serve(t)
  const page = await open(t, `${url}/_mock/dashboard/#/chaos`)
  const form = page.getByRole('form', { name: 'Add a webhook fault' })
  await form.getByLabel('Kind').selectOption('reorder')
  await form.getByRole('button', { name: 'Add webhook fault' }).click()
  const count = form.getByLabel('Count', { exact: true })
  await form.locator('[aria-invalid="true"]').waitFor()
  t.equal(await count.getAttribute('aria-invalid'), 'true', 'the Count field is marked')
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults, [], 'nothing was added')

  await count.fill('3')
  await form.getByRole('button', { name: 'Add webhook fault' }).click()
  const row = page.getByRole('row').filter({ hasText: 'reorder' })
  await row.getByText('3 events').waitFor()
  t.match((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults, [{ kind: 'reorder', count: 3, times: 1 }])

  await page.getByRole('button', { name: 'Clear all webhook faults' }).click()
  await page.getByText('No webhook fault waiting.').waitFor()
  t.same((await app.inject({ method: 'GET', url: '/_mock/webhooks/faults' })).json().faults, [])
})

import type { BrowserContext } from 'playwright-core'
import t from 'tap'
import { launchChromium } from '../support/chromium.js'
import { build, createCustomer } from '../support/helper.js'
import { fileTimeout } from '../support/time-scale.js'

// A browser and a page: more than a minute on a busy runner.
fileTimeout(180_000)

let browser: BrowserContext
t.before(async () => { browser = await launchChromium(t) })

t.test('the Snapshots view saves, restores and deletes an account\'s snapshot', async (t) => {
  const app = await build(t)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const kept = await createCustomer(app, { email: 'kept@example.com' })
  const page = await browser.newPage()
  t.teardown(() => page.close())
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(`${url}/_mock/dashboard/#/snapshots`)
  await page.getByRole('cell', { name: 'No snapshot of this account.' }).waitFor()

  const form = page.getByRole('form', { name: 'Save a snapshot' })
  await form.getByLabel('Name', { exact: true }).fill('seeded')
  await form.getByRole('button', { name: 'Save snapshot' }).click()
  const row = page.getByRole('row').filter({ hasText: 'seeded' })
  await row.waitFor()
  t.match(await row.textContent(), /seeded\s*1\s*0\s*0/, 'one customer, no transaction, no delivery')

  await form.getByLabel('Name', { exact: true }).fill('seeded')
  await form.getByRole('button', { name: 'Save snapshot' }).click()
  const name = form.getByLabel('Name', { exact: true })
  await form.locator('[aria-invalid="true"]').waitFor()
  const describedBy = (await name.getAttribute('aria-describedby'))!.split(' ').at(-1)!
  t.match(await page.locator(`[id="${describedBy}"]`).textContent(), /^001 .*exists already/, 'a name in use is refused with the route\'s message, next to the field')

  await createCustomer(app, { email: 'later@example.com' })
  await row.getByRole('button', { name: 'Restore seeded' }).click()
  await page.getByText('Snapshot seeded restored').waitFor({ state: 'attached' })
  t.same(((await app.inject({ method: 'GET', url: '/_mock/customers' })).json() as { customers: Array<{ id: string }> }).customers.map((c) => c.id), [kept.id])

  await row.getByRole('button', { name: 'Delete seeded' }).click()
  await page.getByRole('cell', { name: 'No snapshot of this account.' }).waitFor()
  t.same((await app.inject({ method: 'GET', url: '/_mock/snapshots' })).json(), { snapshots: [] })
  t.same(errors, [], 'no error in the page')
})

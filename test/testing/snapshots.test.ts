import t from 'tap'
import { startCalypsoMock } from '../../src/index.js'

t.test('the library saves and restores its account: the data, and waits that see only what comes after', async (t) => {
  await using mock = await startCalypsoMock()
  const customer = await mock.request('customer-purse/customer/create', { email: 'seeded@example.com' })
  const seededTx = await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 1 })
  await mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED', transactionId: seededTx.id })

  const saved = await mock.snapshot('seeded')
  t.match(saved, { name: 'seeded', account: mock.account, customers: 1, transactions: 1, deliveries: 4 })
  await t.rejects(mock.snapshot('seeded'), { name: 'CalypsoError', errorCode: '001', message: /exists already/ })
  t.match(await mock.snapshot('seeded', { replace: true }), { name: 'seeded' })

  await mock.request('customer-purse/customer/block', { customerId: customer.id })
  await mock.request('customer-purse/customer/create', {})
  const open = mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_EXPIRED' }, { timeout: 60_000 })
  await mock.restore('seeded')
  await t.rejects(open, /restored from snapshot "seeded"/, 'a wait open at the restore ends')

  const found = await mock.request('customer-purse/transaction/find', { pageNumber: 0, pageSize: 10 })
  t.same(found.result.map((tx) => tx.id), [seededTx.id], 'the transactions are the snapshot\'s')
  const blocked = await mock.request('customer-purse/customer/unblock', { customerId: customer.id })
  t.equal(blocked.blocked, false)
  t.same(mock.webhooks(), [], 'the events kept before the restore are forgotten')

  const later = await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 2 })
  const first = await mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND' })
  t.equal(first.data.transactionId, later.id, 'the next wait gets the deposit made after the restore')

  t.same((await mock.snapshots()).map((s) => s.name), ['seeded'])
  await mock.deleteSnapshot('seeded')
  t.same(await mock.snapshots(), [])
  await t.rejects(mock.restore('seeded'), { name: 'CalypsoError', errorCode: '004' })
})

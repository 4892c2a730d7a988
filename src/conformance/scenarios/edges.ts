import { DOCUMENTED_TIMESTAMP_WINDOW_MS } from '../contract.js'
import { Path, isRecord, unknownId, type Scenario } from '../scenario.js'

/** How far inside and outside the documented window the timestamp probes sit. */
const MARGIN_MS = 2000
const PAGING_DEPOSITS = 5
const PAGE_SIZE = 2
const DECLINE_CURRENCY = 'TRX'
const PAGING_CURRENCY = 'BTC'

function otherAccountId (runId: string): string {
  return `0x${runId.padEnd(40, '0').slice(0, 40)}`
}

/**
 * The edges where a mock drifts quietly: the timestamp window just inside and just outside
 * ±3 minutes, one account's key reaching another account, a known path called with another
 * method, unknown fields, a declined deposit from start to end, and find's paging arithmetic.
 */
export const edgesScenario: Scenario = {
  name: 'edges',
  plan: (id) => [
    `send transaction/find for the first customer with timestamps ${(DOCUMENTED_TIMESTAMP_WINDOW_MS - MARGIN_MS) / 1000} s behind and ahead (accepted), ${(DOCUMENTED_TIMESTAMP_WINDOW_MS + MARGIN_MS) / 1000} s behind and ahead (refused)`,
    `send a transaction/get signed with the run's key for account ${otherAccountId(id.runId)} (refused)`,
    'only on calypso-mock: make a second account through POST /_mock/accounts with one customer, and try to read and block that customer with the first account\'s key (refused)',
    'send GET to customer/create (refused: another method), and transaction/find and the envelope with one unknown field each (refused by the mock; a NOTE where Calypso ignores it)',
    `only on calypso-mock: a declined deposit of 1 ${DECLINE_CURRENCY} to the first customer, read back through transaction/get, purse/get-all and address/get`,
    `only on calypso-mock: a third customer with ${PAGING_DEPOSITS} deposits of ${PAGING_CURRENCY}, read back through transaction/find in pages of ${PAGE_SIZE}`
  ],
  async run (s) {
    const within = DOCUMENTED_TIMESTAMP_WINDOW_MS - MARGIN_MS
    const beyond = DOCUMENTED_TIMESTAMP_WINDOW_MS + MARGIN_MS
    const find = (customerId: string, timestamp?: number) => ({ path: Path.findTransactions, payload: { customerId, pageNumber: 0, pageSize: 1 }, timestamp })

    for (const [label, offset] of [['behind', -within], ['ahead', within]] as const) {
      await s.check(`a timestamp ${within / 1000} s ${label} of the clock (inside ±3 min) is accepted`, async (t) => {
        const { id } = t.need(s.state.customer, 'a created customer')
        t.success(await t.call(find(id, Date.now() + offset)))
      })
    }
    for (const [label, offset] of [['behind', -beyond], ['ahead', beyond]] as const) {
      await s.check(`a timestamp ${beyond / 1000} s ${label} of the clock (outside ±3 min) is refused with 011`, async (t) => {
        const { id } = t.need(s.state.customer, 'a created customer')
        t.error(await t.call(find(id, Date.now() + offset)), '011')
      })
    }

    await s.check('the run\'s key for another account\'s id is refused with 002', async (t) => {
      const other = { ...s.client.target, account: otherAccountId(s.identity.runId) }
      t.error(await t.call({ path: Path.getTransaction, payload: { transactionId: unknownId() } }, s.client.as(other)), '002')
    })

    await s.depositCheck('a second account (POST /_mock/accounts) with a customer of its own', async (t) => {
      const body = t.success(await t.mock('POST', '/_mock/accounts', {}), 201)
      if (typeof body.account !== 'string' || typeof body.apiKey !== 'string' || typeof body.apiSecret !== 'string') t.stop('POST /_mock/accounts: expected {account, apiKey, apiSecret}')
      const other = { account: body.account as string, apiKey: body.apiKey as string, apiSecret: body.apiSecret as string }
      const customer = t.success(await t.call({ path: Path.createCustomer, payload: { email: s.identity.email, description: s.identity.description } }, s.client.as(other)))
      s.state.otherAccount = { ...other, customerId: typeof customer.id === 'string' ? customer.id : undefined }
    })

    await s.depositCheck('the first account\'s key with the second account\'s id in the envelope is refused with 002', async (t) => {
      const other = t.need(s.state.otherAccount, 'the second account')
      const customerId = t.need(other.customerId, 'the second account\'s customer')
      const mixed = s.client.as({ account: other.account, apiKey: s.client.target.apiKey, apiSecret: s.client.target.apiSecret })
      t.error(await t.call({ path: Path.blockCustomer, payload: { customerId } }, mixed), '002')
    })

    await s.depositCheck('the first account cannot block, or find the transactions of, the second account\'s customer (004)', async (t) => {
      const other = t.need(s.state.otherAccount, 'the second account')
      const customerId = t.need(other.customerId, 'the second account\'s customer')
      t.error(await t.call({ path: Path.blockCustomer, payload: { customerId } }), '004')
      t.error(await t.call({ path: Path.findTransactions, payload: { customerId, pageNumber: 0, pageSize: 1 } }), '004')
      const seen = await t.call({ path: Path.unblockCustomer, payload: { customerId } }, s.client.as(other))
      t.equal('the second account\'s customer, read by its own key: $.blocked', t.success(seen).blocked, false)
    })

    await s.check('a known path called with another method: 405 with an Allow header naming POST', async (t) => {
      const res = await s.client.raw('GET', Path.createCustomer, { accept: '*/*' })
      t.ok(res.status === 405, `GET ${Path.createCustomer}: status: expected 405, got ${res.status}`)
      const allow = res.headers?.allow
      t.ok(allow !== undefined && allow.split(',').map((m) => m.trim()).includes('POST'), `GET ${Path.createCustomer}: the Allow header: expected one naming POST, got ${allow === undefined ? 'none' : JSON.stringify(allow)}`)
    }, { mockChoice: 'Calypso documents only 200, 400 and 500; the mock answers as Spring does, 405 with Allow' })

    await s.check('a payload field the docs do not list is refused with 001', async (t) => {
      const { id } = t.need(s.state.customer, 'a created customer')
      t.error(await t.call({ path: Path.findTransactions, payload: { customerId: id, pageNumber: 0, pageSize: 1, conformanceUnknownField: 1 } }), '001')
    }, { mockChoice: 'Calypso may ignore unknown fields; the mock refuses them, the stricter reading' })

    await s.check('an envelope field the docs do not list is refused with 001', async (t) => {
      const { id } = t.need(s.state.customer, 'a created customer')
      const extraField = (body: string) => body.replace(/^\{/, '{"conformanceUnknownField":1,')
      t.error(await t.call({ path: Path.findTransactions, payload: { customerId: id, pageNumber: 0, pageSize: 1 }, mangle: extraField }), '001')
    }, { mockChoice: 'Calypso may ignore unknown fields; the mock refuses them, the stricter reading' })

    let declined: { id: string, purseId: string, address: string } | undefined
    await s.depositCheck(`a declined deposit of 1 ${DECLINE_CURRENCY}: transaction/get says DECLINED and DECLINE`, async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const purse = t.success(await t.call({ path: Path.getAddress, payload: { customerId, currency: DECLINE_CURRENCY } }))
      const deposit = t.success(await t.mock('POST', '/_mock/deposits', { customerId, currency: DECLINE_CURRENCY, amount: 1, outcome: 'DECLINED' }), 201)
      if (typeof deposit.id !== 'string') t.stop('POST /_mock/deposits: no transaction id')
      declined = { id: deposit.id as string, purseId: String(purse.id), address: String(purse.address) }
      const tx = t.success(await t.call({ path: Path.getTransaction, payload: { transactionId: declined.id } }))
      t.equal(`${Path.getTransaction}: $.transactionState`, tx.transactionState, 'DECLINED')
      t.equal(`${Path.getTransaction}: $.complianceState`, tx.complianceState, 'DECLINE')
      t.equal(`${Path.getTransaction}: $.translationToAccountCompleted`, tx.translationToAccountCompleted, false)
    })

    await s.depositCheck('after the decline: its purse is DECLINED and address/get hands out another address', async (t) => {
      const { id: customerId } = t.need(s.state.customer, 'a created customer')
      const tx = t.need(declined, 'the declined deposit')
      const purses = t.list(await t.call({ path: Path.getAllPurses, payload: { customerId } }))
      const entry = purses.find((p) => isRecord(p) && p.id === tx.purseId)
      t.equal(`${Path.getAllPurses}: the declined purse's status`, isRecord(entry) ? entry.status : undefined, 'DECLINED')
      const next = t.success(await t.call({ path: Path.getAddress, payload: { customerId, currency: DECLINE_CURRENCY } }))
      t.ok(next.address !== tx.address, `${Path.getAddress}: $.address: expected a new address after the decline, got the declined ${tx.address} again`)
    })

    let pagingCustomer: string | undefined
    await s.depositCheck(`find paging: ${PAGING_DEPOSITS} deposits in pages of ${PAGE_SIZE}: total ${Math.ceil(PAGING_DEPOSITS / PAGE_SIZE)} pages, totalElements ${PAGING_DEPOSITS}`, async (t) => {
      const customer = t.success(await t.call({ path: Path.createCustomer, payload: { email: s.identity.email, description: s.identity.description, externalId: s.identity.externalId } }))
      if (typeof customer.id !== 'string') t.stop(`${Path.createCustomer}: no customer id`)
      pagingCustomer = customer.id as string
      for (let i = 1; i <= PAGING_DEPOSITS; i++) {
        t.success(await t.mock('POST', '/_mock/deposits', { customerId: pagingCustomer, currency: PAGING_CURRENCY, amount: i }), 201)
      }
      const page = t.success(await t.call({ path: Path.findTransactions, payload: { customerId: pagingCustomer, pageNumber: 0, pageSize: PAGE_SIZE } }))
      t.equal(`${Path.findTransactions} page 0: $.totalElements`, page.totalElements, PAGING_DEPOSITS)
      t.equal(`${Path.findTransactions} page 0: $.total (pages)`, page.total, Math.ceil(PAGING_DEPOSITS / PAGE_SIZE))
      t.equal(`${Path.findTransactions} page 0: $.size`, page.size, PAGE_SIZE)
      t.equal(`${Path.findTransactions} page 0: $.result length`, Array.isArray(page.result) ? page.result.length : undefined, PAGE_SIZE)
    })

    await s.depositCheck('find paging: the last page is partial, the page after it empty, and no transaction shows twice', async (t) => {
      const customerId = t.need(pagingCustomer, 'the paging customer')
      const last = Math.ceil(PAGING_DEPOSITS / PAGE_SIZE) - 1
      const ids: unknown[] = []
      for (let pageNumber = 0; pageNumber <= last + 1; pageNumber++) {
        const page = t.success(await t.call({ path: Path.findTransactions, payload: { customerId, pageNumber, pageSize: PAGE_SIZE } }))
        const result = Array.isArray(page.result) ? page.result : []
        const expected = pageNumber < last ? PAGE_SIZE : pageNumber === last ? PAGING_DEPOSITS - PAGE_SIZE * last : 0
        t.equal(`${Path.findTransactions} page ${pageNumber}: $.result length`, result.length, expected)
        t.equal(`${Path.findTransactions} page ${pageNumber}: $.page`, page.page, pageNumber)
        ids.push(...result.map((r) => isRecord(r) ? r.id : r))
      }
      t.equal(`${Path.findTransactions}: distinct ids over every page`, new Set(ids).size, PAGING_DEPOSITS)
    })
  }
}

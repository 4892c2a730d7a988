import { mock } from './api.js'
import { actionButton, badge, h, section, shortId, table, time } from './dom.js'
import { actionForm, field, numberOrText } from './forms.js'
import { blockButton, deliveryTable, transactionTable } from './tables.js'

const PURSE_TONES = { PENDING_PAYMENT: 'good', ARCHIVED: 'neutral', DECLINED: 'bad' }

function purseTable (purses, context) {
  return table({
    caption: 'Purses (deposit addresses), oldest first',
    empty: 'No purses: one is made by address/get or by the first deposit in a currency.',
    rows: purses,
    columns: [
      { label: 'Address', cell: (p) => h('code', {}, p.address) },
      { label: 'Currencies', cell: (p) => p.currencies.join(', ') },
      { label: 'Status', cell: (p) => badge(p.status, PURSE_TONES[p.status]) },
      { label: 'Created', cell: (p) => time(p.createdDate) },
      { label: 'Expires', cell: (p) => time(p.expiryDate) },
      {
        label: 'Actions',
        cell: (p) => (p.status === 'PENDING_PAYMENT'
          ? actionButton('Expire', async () => {
            await mock('POST', `/purses/${p.id}/expire`, {})
            context.announce(`Purse ${p.address} (${p.currencies.join(', ')}) expired`)
          }, context.report)
          : '')
      }
    ]
  })
}

function depositForm (customerId, context) {
  return actionForm({
    label: 'Fake a deposit',
    submitLabel: 'Fake deposit',
    fields: [
      field({ label: 'Currency', name: 'currency', options: context.settings.currencies, value: 'USDT_TRX' }),
      field({ label: 'Amount', name: 'amount', inputmode: 'decimal', value: '10' }),
      field({ label: 'Outcome', name: 'outcome', options: ['CONFIRMED', 'DECLINED'] }),
      field({ label: 'Stop at', name: 'stopAt', options: [{ value: '', label: 'Run to the end' }, ...context.settings.pauseStates] })
    ],
    async onSubmit (values) {
      const tx = await mock('POST', '/deposits', {
        customerId,
        currency: values.currency,
        amount: numberOrText(values.amount),
        outcome: values.outcome,
        ...(values.stopAt === '' ? {} : { stopAt: values.stopAt })
      })
      context.announce(`Deposit of ${tx.amount} ${tx.currency}: ${tx.transactionState}`)
    }
  })
}

function details (customer, context) {
  const row = (term, value) => [h('dt', {}, term), h('dd', {}, value)]
  return h('dl', { class: 'details' },
    row('Id', h('code', {}, customer.id)),
    row('Status', customer.blocked ? badge('Blocked', 'bad') : badge('Active', 'good')),
    row('Email', customer.email ?? '—'),
    row('External id', customer.externalId ?? '—'),
    row('Description', customer.description ?? '—'),
    row('Account', shortId(customer.account)),
    row('Created', time(customer.createdDate)),
    row('Updated', time(customer.updatedDate)),
    row('Actions', blockButton(customer, context)))
}

export default {
  title: () => 'Customer',
  mount (main, [customerId], context) {
    const heading = h('h1', {}, 'Customer')
    const summary = h('div')
    const purses = h('div')
    const transactions = h('div')
    const deliveries = h('div')
    main.append(
      h('p', { class: 'breadcrumb' }, h('a', { href: '#/customers' }, 'Customers')),
      heading,
      summary,
      section('Fake a deposit', h('p', { class: 'hint' }, 'Sent to POST /_mock/deposits; the webhooks follow.'), depositForm(customerId, context)),
      section('Purses', purses),
      section('Transactions', transactions),
      section('Webhook deliveries', deliveries))
    return {
      async refresh () {
        const [found, p, t, d] = await Promise.all([
          mock('GET', `/customers?search=${customerId}&limit=1`),
          mock('GET', `/purses?customerId=${customerId}`),
          mock('GET', `/transactions?customerId=${customerId}&limit=100`),
          mock('GET', `/webhooks/deliveries?customerId=${customerId}&limit=100`)
        ])
        const customer = found.customers.find((c) => c.id === customerId)
        if (customer === undefined) {
          heading.textContent = 'Customer not found'
          summary.replaceChildren(h('p', {}, `No customer ${customerId}: it may have been reset away.`))
        } else {
          heading.textContent = customer.email ?? `Customer ${customer.id.slice(0, 8)}`
          summary.replaceChildren(details(customer, context))
        }
        purses.replaceChildren(purseTable(p.purses, context))
        transactions.replaceChildren(transactionTable(t.transactions, context, { caption: 'Newest first', withCustomer: false }))
        deliveries.replaceChildren(deliveryTable(d.deliveries, context, { caption: 'Newest first, every attempt counted', withCustomer: false }))
      },
      relevant: (m) => {
        const d = m.data
        const id = d.customer?.id ?? d.purse?.customerId ?? d.transaction?.customerId ?? d.delivery?.customerId
        return id === customerId
      }
    }
  }
}

// The tables more than one view shows: customers, transactions and webhook deliveries, with their actions.
import { mock, signed } from './api.js'
import { DELIVERY_TONES, actionButton, badge, customerLink, h, shortId, table, time, transactionTone } from './dom.js'

/** A deposit stopped with stopAt waits for /advance: not credited, not declined. */
export const isPaused = (tx) => !tx.translationToAccountCompleted && tx.transactionState !== 'DECLINED'

export function blockButton (customer, context) {
  const action = customer.blocked ? 'unblock' : 'block'
  return actionButton(customer.blocked ? 'Unblock' : 'Block', async () => {
    await signed(context.credentials(customer.account), `customer-purse/customer/${action}`, { customerId: customer.id })
    context.announce(`Customer ${customer.email ?? customer.id} ${action}ed`)
  }, context.report)
}

export function customerTable (customers, context, caption) {
  return table({
    caption,
    empty: 'No customers.',
    rows: customers,
    rowClass: (c) => (c.blocked ? 'blocked' : undefined),
    columns: [
      { label: 'Email', cell: (c) => customerLink(c.id, c.email ?? '(no email)') },
      { label: 'External id', cell: (c) => c.externalId ?? '—' },
      { label: 'Id', cell: (c) => shortId(c.id) },
      { label: 'Account', cell: (c) => shortId(c.account) },
      { label: 'Status', cell: (c) => (c.blocked ? badge('Blocked', 'bad') : badge('Active', 'good')) },
      { label: 'Created', cell: (c) => time(c.createdDate) },
      { label: 'Actions', cell: (c) => blockButton(c, context) }
    ]
  })
}

export function transactionTable (transactions, context, { caption, withCustomer = true } = {}) {
  return table({
    caption,
    empty: 'No transactions.',
    rows: transactions,
    columns: [
      { label: 'Created', cell: (tx) => time(tx.createdDate) },
      { label: 'Amount', numeric: true, cell: (tx) => String(tx.amount) },
      { label: 'Currency', cell: (tx) => tx.currency },
      { label: 'State', cell: (tx) => badge(tx.transactionState, transactionTone(tx.transactionState)) },
      { label: 'Compliance', cell: (tx) => tx.complianceState },
      { label: 'Credited', cell: (tx) => (tx.translationToAccountCompleted ? 'Yes' : 'No') },
      { label: 'Paused', cell: (tx) => (isPaused(tx) ? badge('Paused', 'warn') : 'No') },
      ...(withCustomer ? [{ label: 'Customer', cell: (tx) => customerLink(tx.customerId) }] : []),
      { label: 'Id', cell: (tx) => shortId(tx.id) },
      {
        label: 'Actions',
        cell: (tx) => (isPaused(tx)
          ? actionButton('Advance', async () => {
            await mock('POST', `/transactions/${tx.id}/advance`, {})
            context.announce(`Transaction ${tx.id} advanced`)
          }, context.report)
          : '')
      }
    ]
  })
}

/** What the last attempt of a delivery gave: the HTTP status, or the error, with its duration. */
export function lastAttempt (delivery) {
  const attempt = delivery.attempts.at(-1)
  if (attempt === undefined) return delivery.status === 'pending' ? 'not tried yet' : '—'
  return h('span', { class: 'nowrap' }, `${attempt.httpStatus === 200 ? 'HTTP 200' : attempt.error ?? `HTTP ${attempt.httpStatus}`} in ${attempt.durationMs} ms`)
}

export function redeliverButton (delivery, context) {
  return actionButton('Redeliver', async () => {
    const queued = await mock('POST', `/webhooks/deliveries/${delivery.id}/redeliver`, {})
    context.announce(`Delivery ${delivery.id} queued again as delivery ${queued.id}`)
  }, context.report)
}

export function deliveryTable (deliveries, context, { caption, withCustomer = true } = {}) {
  return table({
    caption,
    empty: 'No webhook deliveries.',
    rows: deliveries,
    columns: [
      { label: 'Delivery', cell: (d) => h('a', { href: `#/deliveries/${d.id}` }, `#${d.id}`) },
      { label: 'Event', cell: (d) => h('span', { class: 'event-type' }, d.eventType) },
      ...(withCustomer ? [{ label: 'Customer', cell: (d) => (d.customerId === null ? '—' : customerLink(d.customerId)) }] : []),
      { label: 'Status', cell: (d) => badge(d.status, DELIVERY_TONES[d.status]) },
      { label: 'Attempts', numeric: true, cell: (d) => String(d.attempts.length) },
      { label: 'Last attempt', cell: lastAttempt },
      { label: 'Created', cell: (d) => time(d.createdDate) },
      { label: 'Actions', cell: (d) => redeliverButton(d, context) }
    ]
  })
}

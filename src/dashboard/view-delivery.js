import { mock } from './api.js'
import { DELIVERY_TONES, badge, customerLink, h, section, table, time } from './dom.js'
import { redeliverButton } from './tables.js'

function attemptTable (attempts) {
  return table({
    caption: 'Each attempt, oldest first',
    empty: 'Not tried yet.',
    rows: attempts,
    columns: [
      { label: 'Attempt', numeric: true, cell: (a) => String(a.number) },
      { label: 'Time', cell: (a) => time(a.startedAt) },
      { label: 'Result', cell: (a) => (a.httpStatus === 200 ? badge('HTTP 200', 'good') : badge(a.error ?? `HTTP ${a.httpStatus}`, 'bad')) },
      { label: 'Duration', numeric: true, cell: (a) => `${a.durationMs} ms` },
      { label: 'Response (start)', cell: (a) => (a.response === null || a.response === '' ? '—' : h('code', { class: 'excerpt' }, a.response)) }
    ]
  })
}

function pretty (body) {
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}

export default {
  title: ([id]) => `Delivery #${id}`,
  mount (main, [id], context) {
    const heading = h('h1', {}, `Webhook delivery #${id}`)
    const summary = h('div')
    const attempts = h('div')
    const body = h('div')
    main.append(h('p', { class: 'breadcrumb' }, h('a', { href: '#/deliveries' }, 'Webhook deliveries')), heading, summary, section('Attempts', attempts), section('Body', body))
    return {
      async refresh () {
        const d = await mock('GET', `/webhooks/deliveries/${id}`)
        const row = (term, value) => [h('dt', {}, term), h('dd', {}, value)]
        summary.replaceChildren(h('dl', { class: 'details' },
          row('Event', `${d.eventType} (event ${d.eventId})`),
          row('Status', badge(d.status, DELIVERY_TONES[d.status])),
          row('Customer', d.customerId === null ? '—' : customerLink(d.customerId)),
          row('To', h('code', {}, d.url)),
          row('Subscription', h('code', {}, d.subscriptionRequestId)),
          row('Created', time(d.createdDate)),
          row('Completed', time(d.completedDate)),
          row('Next attempt', time(d.nextAttemptAt)),
          row('Redelivery of', d.redeliveryOf === null ? '—' : h('a', { href: `#/deliveries/${d.redeliveryOf}` }, `#${d.redeliveryOf}`)),
          row('Actions', redeliverButton(d, context))))
        attempts.replaceChildren(attemptTable(d.attempts))
        body.replaceChildren(
          h('p', { class: 'hint' }, 'The exact bytes sent (signed as they are); shown indented below them.'),
          h('pre', { class: 'exact', 'aria-label': 'Exact body' }, d.body),
          h('pre', { 'aria-label': 'Body, indented' }, pretty(d.body)))
      },
      relevant: (m) => m.type === 'delivery' && String(m.data.delivery.id) === id
    }
  }
}

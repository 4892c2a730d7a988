import { mock } from './api.js'
import { h, shortId, table, time } from './dom.js'

export default {
  title: () => 'Subscriptions',
  mount (main) {
    const results = h('div')
    main.append(h('h1', {}, 'Webhook subscriptions'), results)
    return {
      async refresh () {
        const { subscriptions } = await mock('GET', '/subscriptions')
        results.replaceChildren(table({
          caption: 'Live subscriptions of every account',
          empty: 'No subscription: set WEBHOOK_URL, or create one with subscription/webhook/create.',
          rows: subscriptions,
          columns: [
            { label: 'Account', cell: (s) => shortId(s.account) },
            { label: 'URL', cell: (s) => h('code', {}, s.url) },
            { label: 'Events', cell: (s) => [...s.notificationServiceTypes.map((t) => `all ${t}`), ...s.notificationEventTypes].join(', ') },
            { label: 'Origin', cell: (s) => (s.origin === 'config' ? 'WEBHOOK_URL' : 'API') },
            { label: 'Request id', cell: (s) => shortId(s.requestId) },
            { label: 'Key', cell: (s) => h('code', {}, s.publicKey) },
            { label: 'Secret', cell: (s) => h('code', {}, s.secretKey) },
            { label: 'Created', cell: (s) => time(s.createdDate) }
          ]
        }))
      },
      relevant: (m) => m.type === 'subscription' || m.type === 'account'
    }
  }
}

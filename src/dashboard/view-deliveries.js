import { mock } from './api.js'
import { h } from './dom.js'
import { field } from './forms.js'
import { deliveryTable } from './tables.js'

export default {
  title: () => 'Webhook deliveries',
  mount (main, _params, context) {
    const results = h('div')
    const filter = h('form', { 'aria-label': 'Filter deliveries', class: 'search-form' },
      field({ label: 'Status', name: 'status', options: [{ value: '', label: 'Any' }, 'pending', 'delivered', 'failed', 'cancelled'] }))
    filter.addEventListener('change', () => view.refresh())
    filter.addEventListener('submit', (event) => event.preventDefault())
    main.append(h('h1', {}, 'Webhook deliveries'), filter, results)
    const view = {
      async refresh () {
        const status = filter.elements.namedItem('status').value
        const { deliveries } = await mock('GET', `/webhooks/deliveries?limit=100${status === '' ? '' : `&status=${status}`}`)
        results.replaceChildren(deliveryTable(deliveries, context, { caption: 'The newest deliveries, up to 100' }))
      },
      relevant: (m) => m.type === 'delivery' || m.type === 'subscription'
    }
    return view
  }
}

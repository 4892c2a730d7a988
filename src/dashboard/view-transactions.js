import { mock } from './api.js'
import { h } from './dom.js'
import { transactionTable } from './tables.js'

export default {
  title: () => 'Transactions',
  mount (main, _params, context) {
    const results = h('div')
    main.append(h('h1', {}, 'Transactions'), h('p', { class: 'hint' }, 'A paused deposit (made with “Stop at”) moves on with Advance.'), results)
    return {
      async refresh () {
        const { transactions } = await mock('GET', '/transactions?limit=100')
        results.replaceChildren(transactionTable(transactions, context, { caption: 'The newest transactions, up to 100' }))
      },
      relevant: (m) => m.type === 'transaction'
    }
  }
}

import { mock } from './api.js'
import { actionButton, h, section, table, time } from './dom.js'
import { actionForm, field } from './forms.js'

/** Snapshots of one account: save its data under a name, restore it, delete it. */
export default {
  title: () => 'Snapshots',
  mount (main, _params, context) {
    const accounts = context.accounts().map((a) => a.account)
    let account = accounts[0]
    const results = h('div')
    const picker = field({ label: 'Account', name: 'account', options: accounts, value: account })
    picker.querySelector('select').addEventListener('change', (event) => {
      account = event.target.value
      void view.refresh().catch((err) => context.report(err, 'Loading'))
    })
    const form = actionForm({
      label: 'Save a snapshot',
      submitLabel: 'Save snapshot',
      fields: [
        field({ label: 'Name', name: 'name', hint: 'Letters, digits, ".", "_" or "-"' }),
        field({ label: 'When it exists', name: 'replace', options: [{ value: '', label: 'Refuse' }, { value: 'true', label: 'Replace it' }] })
      ],
      async onSubmit (values) {
        const saved = await mock('POST', '/snapshots', { name: values.name, account, ...(values.replace === 'true' ? { replace: true } : {}) })
        context.announce(`Snapshot ${saved.name} saved: ${saved.customers} customer(s), ${saved.transactions} transaction(s)`)
        await view.refresh()
      }
    })
    main.append(
      h('h1', {}, 'Snapshots'),
      h('p', { class: 'lead' }, 'A snapshot keeps one account\'s customers, purses, transactions, subscriptions and webhook deliveries. Restoring it puts them back exactly, clears the account\'s faults and ends its waits.'),
      h('div', { class: 'fields' }, picker),
      section('Saved snapshots', results),
      section('Save a snapshot', form))
    const view = {
      async refresh () {
        const { snapshots } = await mock('GET', `/snapshots?account=${encodeURIComponent(account)}`)
        const name = (s) => encodeURIComponent(s.name)
        results.replaceChildren(table({
          caption: `Snapshots of ${account}, oldest first`,
          empty: 'No snapshot of this account.',
          rows: snapshots,
          columns: [
            { label: 'Name', cell: (s) => h('code', {}, s.name) },
            { label: 'Customers', numeric: true, cell: (s) => String(s.customers) },
            { label: 'Transactions', numeric: true, cell: (s) => String(s.transactions) },
            { label: 'Deliveries', numeric: true, cell: (s) => String(s.deliveries) },
            { label: 'Saved', cell: (s) => time(s.createdDate) },
            {
              label: 'Actions',
              cell: (s) => h('div', { class: 'actions' },
                actionButton(`Restore ${s.name}`, async () => {
                  await mock('POST', `/snapshots/${name(s)}/restore`, { account })
                  context.announce(`Snapshot ${s.name} restored`)
                }, context.report),
                actionButton(`Delete ${s.name}`, async () => {
                  await mock('DELETE', `/snapshots/${name(s)}?account=${encodeURIComponent(account)}`)
                  context.announce(`Snapshot ${s.name} deleted`)
                  await view.refresh()
                }, context.report))
            }
          ]
        }))
      },
      relevant: (m) => m.type === 'account'
    }
    return view
  }
}

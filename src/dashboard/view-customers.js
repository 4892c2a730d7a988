import { mock, signed } from './api.js'
import { h, section } from './dom.js'
import { actionForm, clearErrors, field, filled, showError } from './forms.js'
import { customerTable } from './tables.js'

export default {
  title: () => 'Customers',
  mount (main, _params, context) {
    const results = h('div', { class: 'results' })
    const searchField = field({ label: 'Search by email, id or externalId', name: 'search', type: 'search' })
    const searchForm = h('form', { role: 'search', 'aria-label': 'Customers', class: 'search-form', novalidate: true },
      searchField, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search')), h('p', { class: 'form-error', role: 'alert', hidden: true }))
    const search = searchForm.elements.namedItem('search')
    let typing
    search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => view.refresh(), 200) })
    searchForm.addEventListener('submit', (event) => { event.preventDefault(); view.refresh() })

    const createForm = actionForm({
      label: 'Create a customer',
      submitLabel: 'Create customer',
      fields: [
        field({ label: 'Account', name: 'account', options: context.accounts().map((a) => a.account) }),
        field({ label: 'Email', name: 'email', type: 'email', autocomplete: 'off' }),
        field({ label: 'External id', name: 'externalId' }),
        field({ label: 'Description', name: 'description' })
      ],
      async onSubmit (values, form) {
        const { account, ...payload } = values
        const customer = await signed(context.credentials(account), 'customer-purse/customer/create', filled(payload))
        form.reset()
        context.announce(`Customer ${customer.email ?? customer.id} created`)
      }
    })

    main.append(
      h('h1', {}, 'Customers'),
      searchForm,
      results,
      section('Create a customer', h('p', { class: 'hint' }, 'Sent to POST /api/v1/customer-purse/customer/create, signed with the account\'s key pair.'), createForm)
    )
    const view = {
      async refresh () {
        const text = search.value.trim()
        try {
          const { customers } = await mock('GET', `/customers?limit=100${text === '' ? '' : `&search=${encodeURIComponent(text)}`}`)
          clearErrors(searchForm)
          results.replaceChildren(customerTable(customers, context, text === '' ? 'The newest customers, up to 100' : `Customers matching “${text}”`))
        } catch (err) {
          if (err.status === 401) throw err
          showError(searchForm, err, 'search')
        }
      },
      relevant: (m) => ['customer', 'account'].includes(m.type)
    }
    return view
  }
}

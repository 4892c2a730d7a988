import { mock } from './api.js'
import { actionButton, h, section, table, time } from './dom.js'
import { actionForm, field, numberOrText } from './forms.js'

function answer (f) {
  return [
    f.errorCode === undefined ? null : `error ${f.errorCode}`,
    f.status === undefined ? null : `HTTP ${f.status}`,
    f.delayMs === undefined ? null : `after ${f.delayMs} ms`,
    f.connection === undefined ? null : `connection ${f.connection}`
  ].filter(Boolean).join(', ')
}

export default {
  title: () => 'Faults',
  mount (main, _params, context) {
    const results = h('div')
    const form = actionForm({
      label: 'Add a fault',
      submitLabel: 'Add fault',
      fields: [
        field({ label: 'Path', name: 'path', list: context.settings.apiPaths, value: '/api/v1/customer-purse/customer/create' }),
        field({ label: 'Error code', name: 'errorCode', options: [{ value: '', label: 'None' }, ...context.settings.errorCodes] }),
        field({ label: 'HTTP status', name: 'status', inputmode: 'numeric' }),
        field({ label: 'Delay (ms)', name: 'delayMs', inputmode: 'numeric' }),
        field({ label: 'Connection', name: 'connection', options: [{ value: '', label: 'Answer' }, { value: 'reset', label: 'Reset it' }, { value: 'empty', label: 'Close with no answer' }] }),
        field({ label: 'Times', name: 'times', inputmode: 'numeric', value: '1' })
      ],
      async onSubmit (values) {
        const body = { path: values.path }
        for (const name of ['status', 'delayMs', 'times']) {
          const value = numberOrText(values[name])
          if (value !== undefined) body[name] = value
        }
        if (values.errorCode !== '') body.errorCode = values.errorCode
        if (values.connection !== '') body.connection = values.connection
        const fault = await mock('POST', '/faults', body)
        context.announce(`Fault ${fault.id} added on ${fault.path}`)
      }
    })
    const clear = actionButton('Clear all faults', async () => {
      const { cleared } = await mock('DELETE', '/faults')
      context.announce(`${cleared} fault(s) cleared`)
    }, context.report)
    main.append(
      h('h1', {}, 'Faults'),
      h('p', { class: 'lead' }, 'The next calls to a path answer with an error, wait, or lose their connection, before the API runs: they change nothing.'),
      section('Waiting faults', results, h('div', { class: 'actions' }, clear)),
      section('Add a fault', form))
    return {
      async refresh () {
        const { faults } = await mock('GET', '/faults')
        results.replaceChildren(table({
          caption: 'Each answers the next calls to its path, oldest first',
          empty: 'No fault waiting.',
          rows: faults,
          columns: [
            { label: 'Fault', numeric: true, cell: (f) => String(f.id) },
            { label: 'Path', cell: (f) => h('code', {}, f.path) },
            { label: 'Answer', cell: answer },
            { label: 'Calls left', numeric: true, cell: (f) => `${f.remaining} of ${f.times}` },
            { label: 'Added', cell: (f) => time(f.createdDate) }
          ]
        }))
      },
      relevant: (m) => m.type === 'faults'
    }
  }
}

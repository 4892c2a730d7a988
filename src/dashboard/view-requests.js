import { mock } from './api.js'
import { badge, h, shortId, table, time } from './dom.js'
import { field } from './forms.js'

function verdict (auth) {
  if (auth === null) return h('span', { class: 'muted' }, 'not checked')
  if (auth.passed) return badge('passed', 'good')
  return h('span', { class: 'verdict' }, badge(`${auth.check} refused`, 'bad'), ' ', auth.reason)
}

function body (entry) {
  if (entry.body === null) return '—'
  return h('details', {}, h('summary', {}, 'Body'), h('pre', {}, entry.body + (entry.bodyTruncated ? '\n… (cut at 16 KiB)' : '')))
}

export default {
  title: () => 'Request journal',
  mount (main, _params, context) {
    const results = h('div')
    const filter = h('form', { 'aria-label': 'Filter the journal', class: 'search-form' },
      h('div', { class: 'field checkbox' }, h('input', { type: 'checkbox', id: 'refused-only', name: 'refusedOnly', checked: true }), h('label', { for: 'refused-only' }, 'Refused calls only')),
      field({ label: 'Path contains', name: 'path', type: 'search' }))
    filter.addEventListener('input', () => view.refresh())
    filter.addEventListener('submit', (event) => event.preventDefault())
    main.append(
      h('h1', {}, 'Request journal'),
      h('p', { class: 'lead' }, 'The last 1000 calls to /api, newest first, with the check that refused each one and why. Start here when a call fails.'),
      filter,
      results)
    const view = {
      async refresh () {
        const refusedOnly = filter.elements.namedItem('refusedOnly').checked
        const path = filter.elements.namedItem('path').value.trim()
        const { requests } = await mock('GET', `/requests?limit=1000${path === '' ? '' : `&path=${encodeURIComponent(path)}`}`)
        const rows = (refusedOnly ? requests.filter((r) => r.status !== 200) : requests).slice(0, 200)
        context.setRefusedCount(requests.filter((r) => r.status !== 200).length)
        results.replaceChildren(table({
          caption: refusedOnly ? 'Refused calls, newest first' : 'Calls, newest first',
          empty: refusedOnly ? 'No refused call.' : 'No call yet.',
          rows,
          rowClass: (r) => (r.status === 200 ? undefined : 'refused'),
          columns: [
            { label: 'Time', cell: (r) => time(r.time) },
            { label: 'Call', cell: (r) => h('code', {}, `${r.method} ${r.path}`) },
            { label: 'Status', numeric: true, cell: (r) => (r.status === 0 ? 'no answer' : String(r.status)) },
            { label: 'Error', cell: (r) => r.errorCode ?? '—' },
            { label: 'Auth verdict', cell: (r) => verdict(r.auth) },
            { label: 'Key', cell: (r) => (r.key === null ? '—' : h('code', {}, r.key)) },
            { label: 'Body', cell: body },
            { label: 'Trace id', cell: (r) => shortId(r.traceId) }
          ]
        }))
      },
      relevant: (m) => m.type === 'request' || m.type === 'faults'
    }
    return view
  }
}

import { mock } from './api.js'
import { actionButton, h, section, table, time } from './dom.js'
import { actionForm, field, numberOrText } from './forms.js'

const KINDS = [
  { value: 'duplicate', label: 'duplicate: each event twice' },
  { value: 'reorder', label: 'reorder: hold N, send in reverse' },
  { value: 'delay', label: 'delay: wait before each send' },
  { value: 'bad-signature', label: 'bad-signature: Sign with a wrong secret' },
  { value: 'stale', label: 'stale: an older event again' },
  { value: 'fail', label: 'fail: the attempt fails unsent' }
]

function what (f) {
  return [
    f.delayMs === undefined ? null : `${f.delayMs} ms`,
    f.count === undefined ? null : `${f.count} events`,
    f.status === undefined ? null : `HTTP ${f.status}`,
    f.eventType ?? null
  ].filter(Boolean).join(', ')
}

function ms (n) {
  const hours = n / 3_600_000
  return hours >= 1 ? `${Math.round(hours * 10) / 10} h` : `${Math.round(n / 1000)} s`
}

export default {
  title: () => 'Chaos and clock',
  mount (main, _params, context) {
    const accountOptions = () => context.accounts().map((a) => a.account)
    const clockState = h('div')
    let clockAccount = accountOptions()[0]
    const picker = field({ label: 'Account', name: 'account', options: accountOptions(), value: clockAccount })
    picker.querySelector('select').addEventListener('change', (event) => {
      clockAccount = event.target.value
      void view.refresh()
    })
    const advance = actionForm({
      label: 'Advance the clock',
      submitLabel: 'Advance',
      defaultField: 'ms',
      fields: [field({ label: 'By (ms)', name: 'ms', inputmode: 'numeric', value: '30000', hint: 'Everything that falls due on the way fires, in order, before the call answers: 328350000 runs the whole retry ladder.' })],
      async onSubmit (values) {
        const report = await mock('POST', '/clock/advance', { ms: numberOrText(values.ms), account: clockAccount })
        const { deliveriesSent, pursesExpired, depositSteps } = report.fired
        context.announce(`Clock advanced ${ms(report.advancedMs)}: ${deliveriesSent} webhook attempts, ${pursesExpired} purses expired, ${depositSteps} deposit steps`)
        await view.refresh()
      }
    })
    const resetClock = actionButton('Put the clock back', async () => {
      await mock('POST', '/clock/reset', { account: clockAccount })
      context.announce('The clock is the machine\'s again')
      await view.refresh()
    }, context.report)

    const faults = h('div')
    const add = actionForm({
      label: 'Add a webhook fault',
      submitLabel: 'Add webhook fault',
      fields: [
        field({ label: 'Kind', name: 'kind', options: KINDS, value: 'duplicate' }),
        field({ label: 'Account', name: 'account', options: [{ value: '', label: 'Every account' }, ...accountOptions()] }),
        field({ label: 'Event type', name: 'eventType', hint: 'Only events of this type; every event when empty' }),
        field({ label: 'Delay (ms)', name: 'delayMs', inputmode: 'numeric', hint: 'delay, duplicate, stale' }),
        field({ label: 'Count', name: 'count', inputmode: 'numeric', hint: 'reorder' }),
        field({ label: 'HTTP status', name: 'status', inputmode: 'numeric', hint: 'fail' }),
        field({ label: 'Times', name: 'times', inputmode: 'numeric', value: '1' }),
        field({ label: 'Until cleared', name: 'untilCleared', options: [{ value: '', label: 'No: for Times uses' }, { value: 'yes', label: 'Yes' }] })
      ],
      async onSubmit (values) {
        const body = { kind: values.kind }
        for (const name of ['delayMs', 'count', 'status']) {
          const value = numberOrText(values[name])
          if (value !== undefined) body[name] = value
        }
        if (values.untilCleared === 'yes') body.untilCleared = true
        else if (numberOrText(values.times) !== undefined) body.times = numberOrText(values.times)
        if (values.account !== '') body.account = values.account
        if (values.eventType.trim() !== '') body.eventType = values.eventType.trim()
        const fault = await mock('POST', '/webhooks/faults', body)
        context.announce(`Webhook fault ${fault.id} (${fault.kind}) added`)
        await view.refresh()
      }
    })
    const clear = actionButton('Clear all webhook faults', async () => {
      const { cleared, released } = await mock('DELETE', '/webhooks/faults')
      context.announce(`${cleared} webhook fault(s) cleared, ${released} held event(s) released`)
      await view.refresh()
    }, context.report)

    main.append(
      h('h1', {}, 'Chaos and clock'),
      h('p', { class: 'lead' }, 'Delivery chaos on the webhooks, and each account\'s test clock. Request timestamps are still checked against the machine\'s clock.'),
      section('Test clock', h('div', { class: 'fields' }, picker), clockState, advance, h('div', { class: 'actions' }, resetClock)),
      section('Waiting webhook faults', faults, h('div', { class: 'actions' }, clear)),
      section('Add a webhook fault', add))

    const view = {
      async refresh () {
        const query = clockAccount === undefined ? '' : `?account=${clockAccount}`
        const clock = await mock('GET', `/clock${query}`)
        clockState.replaceChildren(h('p', { class: 'clock-now' },
          'Now: ', time(clock.now), ' ',
          h('span', { class: 'hint' }, clock.offsetMs === 0 ? '(the machine\'s time)' : `(${ms(clock.offsetMs)} ahead of the machine)`)))
        const { faults: waiting } = await mock('GET', '/webhooks/faults')
        faults.replaceChildren(table({
          caption: 'Each applies to the next deliveries it matches, oldest first',
          empty: 'No webhook fault waiting.',
          rows: waiting,
          columns: [
            { label: 'Fault', numeric: true, cell: (f) => String(f.id) },
            { label: 'Kind', cell: (f) => h('code', {}, f.kind) },
            { label: 'With', cell: what },
            { label: 'Account', cell: (f) => f.account ?? 'every account' },
            { label: 'Uses left', numeric: true, cell: (f) => f.untilCleared ? 'until cleared' : `${f.remaining} of ${f.times}` },
            { label: 'Added', cell: (f) => time(f.createdDate) }
          ]
        }))
      },
      relevant: (m) => m.type === 'clock'
    }
    return view
  }
}

// The dashboard: a hash router over the views, the admin-token gate, the live stream, and reset.
import { ApiFailure, loadSettings, mock, token } from './api.js'
import { h, section } from './dom.js'
import { actionForm, field } from './forms.js'
import { connectLive } from './live.js'
import chaos from './view-chaos.js'
import customer from './view-customer.js'
import customers from './view-customers.js'
import deliveries from './view-deliveries.js'
import delivery from './view-delivery.js'
import faults from './view-faults.js'
import requests from './view-requests.js'
import snapshots from './view-snapshots.js'
import subscriptions from './view-subscriptions.js'
import transactions from './view-transactions.js'

const ROUTES = [
  [/^#\/customers\/([0-9a-f-]+)$/i, customer],
  [/^#\/customers$/, customers],
  [/^#\/requests$/, requests],
  [/^#\/transactions$/, transactions],
  [/^#\/deliveries\/(\d+)$/, delivery],
  [/^#\/deliveries$/, deliveries],
  [/^#\/subscriptions$/, subscriptions],
  [/^#\/faults$/, faults],
  [/^#\/chaos$/, chaos],
  [/^#\/snapshots$/, snapshots]
]
/** Messages after which every view shows stale data. */
const EVERYTHING = new Set(['ready', 'reset', 'refresh'])

const main = document.getElementById('main')
const liveStatus = document.getElementById('live-status')
const refusedCount = document.getElementById('refused-count')
const announcer = document.getElementById('announcer')
let accounts = []
let current
let refreshTimer
let refreshing = false
let refreshAgain = false
let stopLive

const context = {
  settings: undefined,
  accounts: () => accounts,
  /** The key pair a signed /api/v1 call of this account needs. */
  credentials (account) {
    const found = accounts.find((a) => a.account === account)
    if (found === undefined) throw new Error(`no key pair known for account ${account}`)
    return found
  },
  announce (text) {
    announcer.textContent = text
  },
  /** A row action that failed: said at the top of the view, with the route's message. */
  report (err, action) {
    if (err instanceof ApiFailure && err.status === 401) return lock(err.message)
    const alert = h('div', { class: 'alert', role: 'alert' },
      h('p', {}, `${action} failed: ${err instanceof ApiFailure ? `${err.errorCode} ${err.message}` : err.message}`),
      h('button', { type: 'button', onclick: () => alert.remove() }, 'Dismiss'))
    main.prepend(alert)
  },
  setRefusedCount (n) {
    refusedCount.hidden = n === 0
    refusedCount.textContent = `${n} refused`
  }
}

async function refresh () {
  if (current === undefined) return
  if (refreshing) {
    refreshAgain = true
    return
  }
  refreshing = true
  try {
    await current.refresh()
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) lock(err.message)
    else context.report(err, 'Loading')
  } finally {
    refreshing = false
    if (refreshAgain) {
      refreshAgain = false
      void refresh()
    }
  }
}

/** At most one refresh every 50 ms, however many changes arrive. */
function scheduleRefresh () {
  refreshTimer ??= setTimeout(() => {
    refreshTimer = undefined
    void refresh()
  }, 50)
}

function route (focus) {
  const hash = location.hash === '' ? '#/customers' : location.hash
  for (const [pattern, view] of ROUTES) {
    const match = pattern.exec(hash)
    if (match === null) continue
    for (const link of document.querySelectorAll('#views-nav a')) {
      if (hash.startsWith(link.getAttribute('href'))) link.setAttribute('aria-current', 'page')
      else link.removeAttribute('aria-current')
    }
    const params = match.slice(1)
    document.title = `${view.title(params)} · calypso-mock`
    main.replaceChildren()
    current = view.mount(main, params, context)
    if (focus) main.focus()
    void refresh()
    return
  }
  location.hash = '#/customers'
}

async function refreshRefusedCount () {
  const { requests: calls } = await mock('GET', '/requests?limit=1000')
  context.setRefusedCount(calls.filter((r) => r.status !== 200).length)
}

function onMessage (message) {
  if (message.type === 'request' && message.data.entry.status !== 200) {
    context.setRefusedCount(Number.parseInt(refusedCount.textContent || '0', 10) + 1)
  }
  if (message.type === 'account' || message.type === 'reset') void loadAccounts()
  if (message.type === 'reset') void refreshRefusedCount()
  if (EVERYTHING.has(message.type) || current?.relevant(message)) scheduleRefresh()
}

function onStatus (status) {
  liveStatus.textContent = status === 'live' ? 'Live' : 'Reconnecting…'
  liveStatus.className = `live-status ${status}`
}

async function loadAccounts () {
  accounts = (await mock('GET', '/accounts')).accounts
}

function setUpReset () {
  const dialog = document.getElementById('reset-dialog')
  const form = document.getElementById('reset-form')
  const error = document.getElementById('reset-error')
  document.getElementById('reset-open').addEventListener('click', () => {
    error.hidden = true
    dialog.showModal()
  })
  form.addEventListener('submit', async (event) => {
    if (event.submitter?.value !== 'confirm') return
    event.preventDefault()
    try {
      await mock('POST', '/reset', {})
      dialog.close()
      context.announce('The mock was reset')
    } catch (err) {
      error.textContent = `${err.errorCode ?? ''} ${err.message}`.trim()
      error.hidden = false
    }
  })
}

function unlocked () {
  document.getElementById('views-nav').hidden = false
  document.getElementById('top-tools').hidden = false
  stopLive = connectLive({ onMessage, onStatus, onUnauthorized: () => lock('the admin token was refused') })
  window.addEventListener('hashchange', () => route(true))
  route(false)
  void refreshRefusedCount()
}

/** Locked: nothing shown but the form that asks for MOCK_ADMIN_TOKEN. */
function lock (reason) {
  stopLive?.()
  stopLive = undefined
  current = undefined
  token.clear()
  document.getElementById('views-nav').hidden = true
  document.getElementById('top-tools').hidden = true
  const form = actionForm({
    label: 'Unlock the dashboard',
    submitLabel: 'Unlock',
    defaultField: 'token',
    fields: [field({ label: 'Admin token', name: 'token', type: 'password', autocomplete: 'current-password', hint: 'The MOCK_ADMIN_TOKEN this mock was started with. Kept for this browser tab only, and sent as Authorization: Bearer.' })],
    async onSubmit (values) {
      token.set(values.token)
      try {
        await loadAccounts()
      } catch (err) {
        token.clear()
        throw err
      }
      window.location.reload()
    }
  })
  document.title = 'Locked · calypso-mock'
  main.replaceChildren(h('h1', {}, 'This mock is locked'), ...(reason === undefined ? [] : [h('p', { class: 'hint' }, reason)]), section('Unlock', form))
  form.querySelector('input').focus()
}

async function start () {
  context.settings = await loadSettings()
  setUpReset()
  if (context.settings.locked && token.get() === null) return lock()
  try {
    await loadAccounts()
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return lock(err.message)
    throw err
  }
  unlocked()
}

start().catch((err) => {
  main.replaceChildren(h('h1', {}, 'The dashboard could not start'), h('p', { role: 'alert' }, String(err.message ?? err)))
})

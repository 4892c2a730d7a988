// Small DOM helpers: elements, tables with captions and header cells, dates, badges.

/** h('button', { type: 'button', onclick }, 'Block'): an element with attributes, listeners and children. */
export function h (tag, attributes = {}, ...children) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value)
    else if (name === 'class') element.className = value
    else element.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue
    element.append(child instanceof Node ? child : String(child))
  }
  return element
}

/** A section with its heading, labelled by it. */
export function section (title, ...children) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children)
}

/**
 * A real table: caption, header cells with scope, one row per item. `columns` are
 * {label, cell(row) -> Node | string, numeric?}; `empty` is said in a single cell when there are no rows.
 */
export function table ({ caption, columns, rows, empty, rowClass }) {
  const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'numeric' : undefined }, c.label))))
  const body = h('tbody', {}, rows.length === 0
    ? h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty))
    : rows.map((row) => h('tr', { class: rowClass?.(row) }, columns.map((c) => h('td', { class: c.numeric ? 'numeric' : undefined }, c.cell(row))))))
  return h('div', { class: 'table-scroll' }, h('table', {}, h('caption', {}, caption), head, body))
}

const pad = (n) => String(n).padStart(2, '0')

/** A date as local YYYY-MM-DD HH:MM:SS, in a <time> carrying the exact value. */
export function time (iso) {
  if (iso === null || iso === undefined) return '—'
  const d = new Date(iso.endsWith('Z') || /[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`)
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  return h('time', { datetime: iso }, text)
}

/** A status word with a colour that repeats it (never the only cue). */
export function badge (text, tone = 'neutral') {
  return h('span', { class: `badge ${tone}` }, text)
}

/** The start of a long id, the whole of it in the title and for copying. */
export function shortId (id) {
  return h('code', { title: id }, id.length > 13 ? `${id.slice(0, 8)}…` : id)
}

export function customerLink (customerId, label) {
  return h('a', { href: `#/customers/${customerId}` }, label ?? shortId(customerId))
}

/** A button that runs `action` once at a time; a failure is reported through `report`. */
export function actionButton (label, action, report, attributes = {}) {
  const button = h('button', { type: 'button', ...attributes }, label)
  button.addEventListener('click', async () => {
    button.disabled = true
    try {
      await action()
    } catch (err) {
      report(err, label)
    } finally {
      button.disabled = false
    }
  })
  return button
}

export const DELIVERY_TONES = { delivered: 'good', pending: 'warn', failed: 'bad', cancelled: 'neutral' }

export function transactionTone (state) {
  return state === 'CONFIRMED' ? 'good' : state === 'DECLINED' ? 'bad' : 'warn'
}

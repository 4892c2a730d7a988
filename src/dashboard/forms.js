// Forms whose values go, as typed, to the mock's validated routes: a refused call shows the route's
// own message next to the field it names, and changes nothing.
import { ApiFailure } from './api.js'
import { h } from './dom.js'

let fields = 0

/**
 * A labelled control with a slot for its error. `options` makes a select (strings or
 * {value, label}); `list` offers suggestions for a text field.
 */
export function field ({ label, name, type = 'text', options, list, value, hint, inputmode, autocomplete }) {
  const id = `field-${++fields}`
  const errorId = `${id}-error`
  const hintId = hint === undefined ? undefined : `${id}-hint`
  const describedBy = [hintId, errorId].filter(Boolean).join(' ')
  let control
  if (options !== undefined) {
    control = h('select', { id, name, 'aria-describedby': describedBy }, options.map((o) => {
      const option = typeof o === 'string' ? { value: o, label: o } : o
      return h('option', { value: option.value, selected: option.value === value }, option.label)
    }))
  } else {
    const listId = list === undefined ? undefined : `${id}-list`
    control = h('input', { id, name, type, value, inputmode, autocomplete: autocomplete ?? 'off', list: listId, 'aria-describedby': describedBy })
    if (list !== undefined) control = [control, h('datalist', { id: listId }, list.map((v) => h('option', { value: v })))]
  }
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint === undefined ? null : h('p', { class: 'hint', id: hintId }, hint),
    h('p', { class: 'field-error', id: errorId, hidden: true }))
}

/** A number when the text is one, else the text itself, so the route, not the page, says what is wrong. */
export function numberOrText (text) {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed
}

/** The values of the form's non-empty fields, as strings. */
export function filled (values) {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''))
}

export function clearErrors (form) {
  for (const error of form.querySelectorAll('.field-error, .form-error')) {
    error.hidden = true
    error.textContent = ''
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid')
}

/** The field an issue of the route's message names: `amount: ...`, `payload.email: ...`. */
function fieldNamed (form, issue) {
  const match = /^([\w.[\]]+): /.exec(issue)
  if (match === null) return undefined
  const parts = match[1].split('.').filter((p) => p !== 'payload' && p !== 'body')
  for (const name of [parts.at(-1), parts[0]]) {
    const control = name === undefined ? null : form.elements.namedItem(name)
    if (control instanceof HTMLElement) return control
  }
  return undefined
}

/** Puts a refused call's message next to the field it names, or under the form; focuses the first. */
export function showError (form, err, defaultField) {
  const message = err instanceof ApiFailure ? `${err.errorCode} ${err.message}` : String(err?.message ?? err)
  const detail = err instanceof ApiFailure ? err.message.replace(/^[^:]+: /, '') : ''
  const shown = new Set()
  for (const issue of detail.split('; ')) {
    const control = fieldNamed(form, issue) ?? (defaultField === undefined ? undefined : form.elements.namedItem(defaultField))
    if (control instanceof HTMLElement && !shown.has(control)) {
      shown.add(control)
      control.setAttribute('aria-invalid', 'true')
      const slot = control.closest('.field')?.querySelector('.field-error')
      if (slot) {
        slot.textContent = message
        slot.hidden = false
      }
    }
  }
  if (shown.size === 0) {
    const slot = form.querySelector('.form-error')
    slot.textContent = message
    slot.hidden = false
  }
  const first = [...shown][0]
  if (first) first.focus()
}

/**
 * A form that runs `onSubmit(values)`: the submit button is disabled meanwhile, and a refused call
 * shows its message where it belongs. `label` names the form for assistive technology.
 */
export function actionForm ({ label, fields: children, submitLabel, onSubmit, defaultField, className }) {
  const button = h('button', { type: 'submit' }, submitLabel)
  const form = h('form', { 'aria-label': label, novalidate: true, class: className ?? 'action-form' },
    h('div', { class: 'fields' }, children),
    h('div', { class: 'actions' }, button),
    h('p', { class: 'form-error', role: 'alert', hidden: true }))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    clearErrors(form)
    button.disabled = true
    try {
      await onSubmit(Object.fromEntries(new FormData(form)), form)
    } catch (err) {
      showError(form, err, defaultField)
    } finally {
      button.disabled = false
    }
  })
  return form
}

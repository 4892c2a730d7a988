// Every call the page makes: /_mock routes with the admin token when the mock is locked, and
// /api/v1 routes signed with an account's key pair. Both answer Calypso's error body on failure.
import { signedRequest } from './signing.js'

const TOKEN_KEY = 'calypso-mock:admin-token'

/** A refused call: the route's own errorCode and message, to show next to the form field at fault. */
export class ApiFailure extends Error {
  constructor (status, errorCode, message) {
    super(message)
    this.status = status
    this.errorCode = errorCode
  }
}

/** The admin token lives for this browser tab only (sessionStorage), and travels in a header, never in a URL. */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY)
}

export function adminHeaders () {
  const value = token.get()
  return value === null ? {} : { Authorization: `Bearer ${value}` }
}

async function answer (res) {
  const text = await res.text()
  const body = text === '' ? undefined : JSON.parse(text)
  if (!res.ok) throw new ApiFailure(res.status, body?.errorCode ?? String(res.status), body?.message ?? res.statusText)
  return body
}

/** A /_mock call: GET without a body, others with a JSON body. */
export async function mock (method, path, body) {
  const headers = adminHeaders()
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  return answer(await fetch(`/_mock${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' }))
}

/** An /api/v1 call signed with `credentials` ({account, apiKey, apiSecret}). */
export async function signed (credentials, path, payload) {
  const { body, headers } = await signedRequest(credentials, payload)
  return answer(await fetch(`/api/v1/${path}`, { method: 'POST', headers, body }))
}

/** What the page needs that is no data: whether it is locked, and the lists its forms offer. */
export async function loadSettings () {
  return answer(await fetch('settings.json', { cache: 'no-store' }))
}

/** An error answered by the mock, with Calypso's `errorCode` (e.g. 004 for "not found"). */
export class CalypsoError extends Error {
  constructor (readonly status: number, readonly errorCode: string, readonly detail: string, readonly traceId: string | undefined) {
    super(`${errorCode}: ${detail}`)
    this.name = 'CalypsoError'
  }
}

interface ErrorBody {
  errorCode?: string
  message?: string
  traceId?: string
}

async function readJson (res: Response): Promise<unknown> {
  const text = await res.text()
  return text === '' ? undefined : JSON.parse(text)
}

/** The parsed JSON of a 2xx answer; anything else becomes a CalypsoError. */
export async function answer<T> (res: Response): Promise<T> {
  const body = await readJson(res)
  if (!res.ok) {
    const error = (body ?? {}) as ErrorBody
    throw new CalypsoError(res.status, error.errorCode ?? String(res.status), error.message ?? res.statusText, error.traceId)
  }
  return body as T
}

export async function postJson<T> (url: string, body: unknown): Promise<T> {
  return answer<T>(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }))
}

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

export function searchOf (query: object): string {
  const entries = Object.entries(query).filter(([, value]) => value !== undefined)
  return new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()
}

/** Calls to /_mock on one server, with the admin token when the server wants one. */
export function mockClient (baseUrl: string, adminToken?: string) {
  const auth: Record<string, string> = adminToken === undefined ? {} : { authorization: `Bearer ${adminToken}` }
  const urlOf = (path: string, query: object) => {
    const search = searchOf(query)
    return `${baseUrl}/_mock/${path}${search === '' ? '' : `?${search}`}`
  }
  return {
    baseUrl,
    get: async <T>(path: string, query: object = {}, signal?: AbortSignal): Promise<T> =>
      answer<T>(await fetch(urlOf(path, query), { headers: auth, ...(signal === undefined ? {} : { signal }) })),
    post: async <T>(path: string, body: unknown = {}): Promise<T> =>
      answer<T>(await fetch(`${baseUrl}/_mock/${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })),
    delete: async <T>(path: string, query: object = {}): Promise<T> =>
      answer<T>(await fetch(urlOf(path, query), { method: 'DELETE', headers: auth }))
  }
}

export type MockClient = ReturnType<typeof mockClient>

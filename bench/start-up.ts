import { sign } from '../src/auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../src/demo-credentials.js'
import { SERVER, startServer } from './server-process.js'

export function signedRequest (path: string, payload: unknown) {
  const body = JSON.stringify({ timestamp: Date.now(), account: DEFAULT_ACCOUNT, payload })
  return {
    method: 'POST' as const,
    path: `/api/v1/${path}`,
    headers: { 'content-type': 'application/json', Key: DOCS_API_KEY, Sign: sign(body, DOCS_API_SECRET) },
    body
  }
}

export async function call (url: string, path: string, payload: unknown): Promise<Record<string, unknown>> {
  const request = signedRequest(path, payload)
  const res = await fetch(`${url}${request.path}`, { method: 'POST', headers: request.headers, body: request.body })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return await res.json() as Record<string, unknown>
}

export function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/** One start: milliseconds from spawning `server` on a fresh database file to its first answered signed request. */
export async function startUpOnce (databaseFile: string, server = SERVER): Promise<number> {
  const started = performance.now()
  const running = await startServer({ DATABASE_PATH: databaseFile }, server)
  await call(running.url, 'customer-purse/customer/create', {})
  const ms = Math.round(performance.now() - started)
  await running.stop()
  return ms
}

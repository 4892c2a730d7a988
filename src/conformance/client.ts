import { sign } from '../auth/signature.js'
import type { ObservedResponse } from './response-validator.js'

/** Who the suite calls, and as whom. */
export interface Target {
  /** The origin (and any path prefix) in front of /api/v1, e.g. https://api.calypso.finance */
  baseUrl: string
  account: string
  apiKey: string
  apiSecret: string
  /** Sent as `Authorization: Bearer` to /_mock when the mock has MOCK_ADMIN_TOKEN set. */
  adminToken?: string
  /** How long one call may take; 10 000 ms by default. */
  timeoutMs?: number
}

/** A signed call to Calypso's API, and the one thing a negative check changes. */
export interface ApiCall {
  /** The API path, e.g. /api/v1/customer-purse/customer/create */
  path: string
  method?: 'POST' | 'DELETE'
  /** The envelope's payload; an envelope of `{account, timestamp}` alone when absent. */
  payload?: unknown
  /** The envelope's timestamp; now when absent. */
  timestamp?: number
  /** Pretty-print the envelope with `timestamp` first, as one known Calypso client does. */
  pretty?: boolean
  /** Changes the envelope's bytes before they are signed and sent. */
  mangle?: (body: string) => string
  /** The Sign header for the bytes sent; the HMAC with the api secret when absent, no header when it returns undefined. */
  sign?: (body: string, apiSecret: string) => string | undefined
  /** The Key header; the api key when absent. */
  key?: string
}

export type ApiResponse = ObservedResponse

const DEFAULT_TIMEOUT_MS = 10_000

/** Calls a target over HTTP exactly as a merchant's client does: sign the bytes sent, send the bytes signed. */
export class ConformanceClient {
  readonly target: Target

  constructor (target: Target) {
    this.target = target
  }

  /** Calypso's envelope, `timestamp` first when pretty-printed. */
  envelope (payload: unknown, timestamp: number, pretty = false): string {
    const { account } = this.target
    const envelope = payload === undefined ? { timestamp, account } : { timestamp, account, payload }
    return pretty ? JSON.stringify(envelope, null, 2) : JSON.stringify(envelope)
  }

  async api (call: ApiCall): Promise<ApiResponse> {
    const envelope = this.envelope(call.payload, call.timestamp ?? Date.now(), call.pretty)
    const body = call.mangle === undefined ? envelope : call.mangle(envelope)
    const signature = call.sign === undefined ? sign(body, this.target.apiSecret) : call.sign(body, this.target.apiSecret)
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: '*/*',
      key: call.key ?? this.target.apiKey
    }
    if (signature !== undefined) headers.sign = signature
    return this.send(call.method ?? 'POST', call.path, headers, body)
  }

  /** A client of the same target acting for another account. */
  as (credentials: { account: string, apiKey: string, apiSecret: string }): ConformanceClient {
    return new ConformanceClient({ ...this.target, ...credentials })
  }

  /** A request sent as given: no envelope, no signature. */
  async raw (method: string, path: string, headers: Record<string, string>, body?: string): Promise<ApiResponse> {
    return await this.send(method, path, headers, body)
  }

  /** A call to the mock's own controls under /_mock; only made once the target is known to be calypso-mock. */
  async mock (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.target.adminToken !== undefined) headers.authorization = `Bearer ${this.target.adminToken}`
    return this.send(method, path, headers, body === undefined ? undefined : JSON.stringify(body))
  }

  private async send (method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<ApiResponse> {
    const base = this.target.baseUrl.replace(/\/+$/, '')
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.target.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    })
    const text = await res.text()
    let json: unknown
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    return { method, path: path.split('?')[0] ?? path, status: res.status, contentType: res.headers.get('content-type') ?? undefined, text, json, headers: Object.fromEntries(res.headers) }
  }
}

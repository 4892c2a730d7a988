import type { ApiCall, ApiResponse, ConformanceClient } from './client.js'
import { DOCUMENTED_MESSAGES } from './contract.js'
import type { ResponseValidator } from './response-validator.js'

/** What one check concluded. DRIFT and NOTE are failures the run tolerates (see CheckMarks). */
export type Verdict = 'pass' | 'fail' | 'drift' | 'note' | 'skip'

/** Marks excuse only a check's own expectations, never a difference from the OpenAPI document. */
export interface CheckMarks {
  /**
   * The mock differs from Calypso's documented API here today. Against a calypso-mock target the
   * failure is reported as DRIFT and does not fail the run; against any other target it is a FAIL.
   */
  knownDrift?: string
  /**
   * The docs are silent and this is the mock's own (stricter) choice. Against a target that is not
   * calypso-mock a difference is reported as a NOTE (what that target does), not as a failure.
   */
  mockChoice?: string
}

export interface CheckResult {
  scenario: string
  name: string
  verdict: Verdict
  /** Every difference found: status, errorCode, or a field and its JSON path. */
  differences: string[]
  /** Why a check was skipped. */
  note?: string
  marks: CheckMarks
  /** It needs a deposit faked through the mock's /_mock/deposits. */
  needsDeposit: boolean
}

/** Ends a check early: the body of a failed call cannot be checked further. */
class StopCheck extends Error {}

/** Skips a check whose precondition is missing. */
class SkipCheck extends Error {}

const EXPECTED_ERROR_STATUS = 400
const CONTRACT = 'contract: '

function errorSummary (res: ApiResponse): string {
  const body = res.json as { errorCode?: unknown, message?: unknown } | undefined
  if (typeof body?.errorCode === 'string') return ` (errorCode ${body.errorCode}${typeof body.message === 'string' ? `: ${body.message}` : ''})`
  return ''
}

function show (value: unknown): string {
  return JSON.stringify(value) ?? String(value)
}

/** The `t` of one check: calls that are validated against the document, and expectations that record differences. */
export class CheckContext {
  readonly differences: string[] = []
  /** Differences from the pinned contract: no mark excuses them. */
  schemaDifferences = 0
  /** Fields an answer has that the contract does not name: a NOTE off the mock, never a failure. */
  readonly extras: string[] = []

  constructor (readonly client: ConformanceClient, private readonly validator: ResponseValidator) {}

  private record (res: ApiResponse): ApiResponse {
    for (const difference of this.validator.validate(res)) this.schemaDifference(`${res.method} ${res.path} ${res.status}: ${difference}`)
    for (const extra of this.validator.extras(res)) this.extras.push(`${res.method} ${res.path} ${res.status}: ${extra} is not in Calypso's published schema`)
    return res
  }

  /** A difference from the pinned contract. */
  schemaDifference (line: string): void {
    this.differences.push(`${CONTRACT}${line}`)
    this.schemaDifferences += 1
  }

  /** A signed call to /api/v1; its answer is checked against the pinned contract. */
  async call (call: ApiCall, client: ConformanceClient = this.client): Promise<ApiResponse> {
    return this.record(await client.api(call))
  }

  /** A call to the mock's controls: mock-only, so no contract applies. */
  async mock (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiResponse> {
    return await this.client.mock(method, path, body)
  }

  /** A value checked against a component of the contract (e.g. a delivered WebhookEvent); `where` names it in each line. */
  component (name: string, value: unknown, where: string): void {
    for (const difference of this.validator.validateComponent(name, value)) this.schemaDifference(`${where}: ${difference}`)
    for (const extra of this.validator.componentExtras(name, value)) this.extras.push(`${where}: ${extra} is not in Calypso's published ${name}`)
  }

  private expectStatus (res: ApiResponse, status: number): void {
    if (res.status === status) return
    this.differences.push(`${res.method} ${res.path}: status: expected ${status}, got ${res.status}${errorSummary(res)}`)
    throw new StopCheck()
  }

  /** Expects `status` with a JSON object and returns it; otherwise the check ends here. */
  success (res: ApiResponse, status = 200): Record<string, unknown> {
    this.expectStatus(res, status)
    if (typeof res.json === 'object' && res.json !== null && !Array.isArray(res.json)) return res.json as Record<string, unknown>
    this.differences.push(`$: expected an object, got ${res.json === undefined ? 'no JSON' : Array.isArray(res.json) ? 'an array' : typeof res.json}`)
    throw new StopCheck()
  }

  /** Expects 200 with a JSON array and returns it; otherwise the check ends here. */
  list (res: ApiResponse): unknown[] {
    this.expectStatus(res, 200)
    if (Array.isArray(res.json)) return res.json
    this.differences.push(`$: expected an array, got ${res.json === undefined ? 'no JSON' : typeof res.json}`)
    throw new StopCheck()
  }

  /** Expects Calypso's refusal: HTTP 400 (or `status`) with this errorCode. */
  error (res: ApiResponse, errorCode: string, status = EXPECTED_ERROR_STATUS): void {
    if (res.status !== status) this.differences.push(`${res.method} ${res.path}: status: expected ${status}, got ${res.status}${errorSummary(res)}`)
    const got = (res.json as { errorCode?: unknown } | undefined)?.errorCode
    if (got !== errorCode) {
      const message = (res.json as { message?: unknown } | undefined)?.message
      const shown = got === undefined ? 'none' : typeof got === 'string' ? got : show(got)
      this.differences.push(`${res.method} ${res.path}: errorCode: expected ${errorCode}, got ${shown}${typeof message === 'string' ? ` (${message})` : ''}`)
      return
    }
    const documented = (DOCUMENTED_MESSAGES as Record<string, string>)[errorCode]
    const message = (res.json as { message?: unknown } | undefined)?.message
    if (documented !== undefined && (typeof message !== 'string' || (message !== documented && !message.startsWith(`${documented}:`)))) {
      this.differences.push(`${res.method} ${res.path}: message: expected Calypso's documented "${documented}" for ${errorCode}, got ${show(message)}`)
    }
  }

  equal (path: string, actual: unknown, expected: unknown): void {
    if (show(actual) !== show(expected)) this.differences.push(`${path}: expected ${show(expected)}, got ${actual === undefined ? 'nothing (missing)' : show(actual)}`)
  }

  ok (condition: boolean, difference: string): void {
    if (!condition) this.differences.push(difference)
  }

  /** A value an earlier check should have produced; skips this check without it. */
  need<T> (value: T | undefined, what: string): T {
    if (value === undefined) throw new SkipCheck(`skipped: needs ${what}`)
    return value
  }

  /** Skips this check, saying why. */
  skip (why: string): never {
    throw new SkipCheck(`skipped: ${why}`)
  }

  /** Ends the check here: what follows cannot be checked. */
  stop (difference: string): never {
    this.differences.push(difference)
    throw new StopCheck()
  }
}

export interface CheckEnvironment {
  client: ConformanceClient
  validator: ResponseValidator
  /** The target is calypso-mock: known drift is tolerated there, mock choices are checked, extra fields are its own. */
  isMock: boolean
}

/** fetch says "fetch failed"; the cause says why (ECONNREFUSED, a timeout, a TLS error). */
function failure (err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : ''
  return `${err.message}${cause}`
}

/** Runs one check's body and classifies what it found. */
export async function runCheck (
  env: CheckEnvironment,
  scenario: string,
  name: string,
  marks: CheckMarks,
  needsDeposit: boolean,
  body: (t: CheckContext) => Promise<void>
): Promise<CheckResult> {
  const t = new CheckContext(env.client, env.validator)
  // The check's own expectations first: the first line says what the check is about (a refusal
  // answered 200), then what the contract adds (the fields of that 200).
  const ordered = () => [...t.differences.filter((d) => !d.startsWith(CONTRACT)), ...t.differences.filter((d) => d.startsWith(CONTRACT))]
  const result = (verdict: Verdict, note?: string): CheckResult => ({ scenario, name, verdict, differences: ordered(), note, marks, needsDeposit })
  try {
    await body(t)
  } catch (err) {
    if (err instanceof SkipCheck) return result('skip', err.message)
    if (!(err instanceof StopCheck)) t.differences.push(`request failed: ${failure(err)}`)
  }
  if (t.differences.length === 0) {
    if (env.isMock || t.extras.length === 0) return result('pass')
    t.differences.push(...t.extras)
    return result('note', 'extra fields: Calypso tells clients to ignore fields they do not know')
  }
  if (t.schemaDifferences > 0) return result('fail')
  if (env.isMock && marks.knownDrift !== undefined) return result('drift')
  if (!env.isMock && marks.mockChoice !== undefined) return result('note')
  return result('fail')
}

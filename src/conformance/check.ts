import type { ApiCall, ApiResponse, ConformanceClient } from './client.js'
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
  /** Differences from the OpenAPI document: no mark excuses them. */
  schemaDifferences = 0

  constructor (private readonly client: ConformanceClient, private readonly validator: ResponseValidator) {}

  private record (res: ApiResponse): ApiResponse {
    for (const difference of this.validator.validate(res)) {
      this.differences.push(`schema ${res.status}: ${difference}`)
      this.schemaDifferences += 1
    }
    return res
  }

  /** A signed call to /api/v1; its answer is checked against the OpenAPI document. */
  async call (call: ApiCall): Promise<ApiResponse> {
    return this.record(await this.client.api(call))
  }

  /** A call to the mock's controls; checked against the document too. */
  async mock (method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResponse> {
    return this.record(await this.client.mock(method, path, body))
  }

  private expectStatus (res: ApiResponse, status: number): void {
    if (res.status === status) return
    this.differences.push(`status: expected ${status}, got ${res.status}${errorSummary(res)}`)
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

  /** Expects Calypso's refusal: HTTP 400 with this errorCode. */
  error (res: ApiResponse, errorCode: string): void {
    if (res.status !== EXPECTED_ERROR_STATUS) this.differences.push(`status: expected ${EXPECTED_ERROR_STATUS}, got ${res.status}${errorSummary(res)}`)
    const got = (res.json as { errorCode?: unknown } | undefined)?.errorCode
    if (got !== errorCode) {
      const message = (res.json as { message?: unknown } | undefined)?.message
      const shown = got === undefined ? 'none' : typeof got === 'string' ? got : show(got)
      this.differences.push(`errorCode: expected ${errorCode}, got ${shown}${typeof message === 'string' ? ` (${message})` : ''}`)
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
}

export interface CheckEnvironment {
  client: ConformanceClient
  validator: ResponseValidator
  /** The target answered the mock's own controls: known drift is tolerated there, mock choices are checked. */
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
  const result = (verdict: Verdict, note?: string): CheckResult => ({ scenario, name, verdict, differences: t.differences, note, marks, needsDeposit })
  try {
    await body(t)
  } catch (err) {
    if (err instanceof SkipCheck) return result('skip', err.message)
    if (!(err instanceof StopCheck)) t.differences.push(`request failed: ${failure(err)}`)
  }
  if (t.differences.length === 0) return result('pass')
  if (t.schemaDifferences > 0) return result('fail')
  if (env.isMock && marks.knownDrift !== undefined) return result('drift')
  if (!env.isMock && marks.mockChoice !== undefined) return result('note')
  return result('fail')
}

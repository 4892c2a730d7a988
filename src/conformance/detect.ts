import { randomUUID } from 'node:crypto'
import type { ConformanceClient } from './client.js'
import { Path, isRecord, type TargetInfo } from './scenario.js'

/** What the user said the target is; `auto` asks the target. */
export type TargetKind = 'auto' | 'mock' | 'calypso'

export const JOURNAL_PATH = '/_mock/requests'

/** The two requests detection sends; both change nothing anywhere. */
export const DETECTION_PLAN = `POST ${Path.getTransaction} for a random id (refused or not found: it changes nothing), then GET ${JOURNAL_PATH}, to learn whether the target is calypso-mock: only a mock that really received that call lists it`

function failure (err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message
}

/**
 * Decides whether the target is calypso-mock by something a static mock cannot fake: a
 * transaction/get for a random id, then the mock's request journal must list that very call.
 * Prism on openapi.yaml (or any example server) answers GET /_mock/requests with an example
 * journal, which cannot hold an id chosen a moment ago.
 */
export async function detectTarget (client: ConformanceClient, kind: TargetKind, retryScale?: number): Promise<TargetInfo> {
  if (kind === 'mock') return { isMock: true, why: 'as told by --target mock', retryScale }
  if (kind === 'calypso') return { isMock: false, why: 'as told by --target calypso', noDeposits: '--target calypso: no /_mock controls are used' }
  const marker = randomUUID()
  try {
    await client.api({ path: Path.getTransaction, payload: { transactionId: marker } })
  } catch (err) {
    const why = `POST ${Path.getTransaction} failed: ${failure(err)}`
    return { isMock: false, why, noDeposits: why }
  }
  let res
  try {
    res = await client.mock('GET', `${JOURNAL_PATH}?path=${encodeURIComponent(Path.getTransaction)}&limit=100`)
  } catch (err) {
    const why = `GET ${JOURNAL_PATH} failed: ${failure(err)}`
    return { isMock: false, why, noDeposits: why }
  }
  if (res.status !== 200) {
    const hint = res.status === 401 ? '; give --admin-token when the mock has MOCK_ADMIN_TOKEN' : ''
    const why = `GET ${JOURNAL_PATH} answered ${res.status}${hint}`
    return { isMock: false, why, noDeposits: why }
  }
  const requests = isRecord(res.json) && Array.isArray(res.json.requests) ? res.json.requests : []
  const seen = requests.some((r) => isRecord(r) && typeof r.body === 'string' && r.body.includes(marker))
  if (seen) return { isMock: true, why: `its request journal (GET ${JOURNAL_PATH}) lists the transaction/get for the random id ${marker} just sent`, retryScale }
  const why = `GET ${JOURNAL_PATH} answered 200 without the transaction/get for the random id ${marker} just sent: a static mock (such as Prism on openapi.yaml) or another server, not calypso-mock`
  return { isMock: false, why, noDeposits: why }
}

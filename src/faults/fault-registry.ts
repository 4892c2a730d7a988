import { createCountdown, type Counted } from './countdown.js'

export interface FaultSpec {
  path: string
  /** Only calls whose Key header is this account's api key; every call when absent. */
  account?: string | undefined
  apiKey?: string | undefined
  errorCode?: string | undefined
  status?: number | undefined
  /** Answer exactly this JSON (any status) instead of Calypso's error body. */
  body?: unknown
  delayMs?: number | undefined
  connection?: 'reset' | 'empty' | undefined
  times: number
}

export type Fault = FaultSpec & Counted

/**
 * Faults waiting for their calls: each answers the next `times` calls to its path (for its
 * account's key, when it names one), oldest fault first.
 */
export function createFaultRegistry () {
  const faults = createCountdown<FaultSpec>()
  return {
    ...faults,
    /** The fault for this call, counting it; undefined when the path has none. */
    take: (path: string, key?: string): Fault | undefined =>
      faults.take((f) => f.path === path && (f.apiKey === undefined || f.apiKey === key))
  }
}

export type FaultRegistry = ReturnType<typeof createFaultRegistry>

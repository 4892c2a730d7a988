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

export interface Fault extends FaultSpec {
  id: number
  remaining: number
  createdDate: string
}

/**
 * Faults waiting for their calls: each answers the next `times` calls to its path (for its
 * account's key, when it names one), oldest fault first.
 */
export function createFaultRegistry () {
  let faults: Fault[] = []
  let next = 1
  const listeners = new Set<() => void>()
  const changed = (): void => { for (const listener of listeners) listener() }

  return {
    add (spec: FaultSpec, now: string): Fault {
      const fault: Fault = { ...spec, id: next++, remaining: spec.times, createdDate: now }
      faults.push(fault)
      changed()
      return fault
    },
    /** The fault for this call, counting it; undefined when the path has none. Cheap when there are none. */
    take (path: string, key?: string): Fault | undefined {
      if (faults.length === 0) return undefined
      const fault = faults.find((f) => f.path === path && (f.apiKey === undefined || f.apiKey === key))
      if (fault === undefined) return undefined
      fault.remaining--
      if (fault.remaining <= 0) faults = faults.filter((f) => f !== fault)
      changed()
      return { ...fault }
    },
    list: (): Fault[] => faults.map((f) => ({ ...f })),
    clear (): number {
      const count = faults.length
      faults = []
      if (count > 0) changed()
      return count
    },
    /** Calls `listener` whenever a fault is added, used or cleared; returns how to stop. */
    onChange (listener: () => void): () => void {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    }
  }
}

export type FaultRegistry = ReturnType<typeof createFaultRegistry>

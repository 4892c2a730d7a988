export interface FaultSpec {
  path: string
  errorCode?: string | undefined
  status?: number | undefined
  delayMs?: number | undefined
  connection?: 'reset' | 'empty' | undefined
  times: number
}

export interface Fault extends FaultSpec {
  id: number
  remaining: number
  createdDate: string
}

/** Faults waiting for their calls: each answers the next `times` calls to its path, oldest fault first. */
export function createFaultRegistry () {
  let faults: Fault[] = []
  let next = 1

  return {
    add (spec: FaultSpec, now: string): Fault {
      const fault: Fault = { ...spec, id: next++, remaining: spec.times, createdDate: now }
      faults.push(fault)
      return fault
    },
    /** The fault for this call, counting it; undefined when the path has none. Cheap when there are none. */
    take (path: string): Fault | undefined {
      if (faults.length === 0) return undefined
      const fault = faults.find((f) => f.path === path)
      if (fault === undefined) return undefined
      fault.remaining--
      if (fault.remaining <= 0) faults = faults.filter((f) => f !== fault)
      return { ...fault }
    },
    list: (): Fault[] => faults.map((f) => ({ ...f })),
    clear (): number {
      const count = faults.length
      faults = []
      return count
    }
  }
}

export type FaultRegistry = ReturnType<typeof createFaultRegistry>

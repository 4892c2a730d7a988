/** What an entry of a countdown holds beyond its spec. */
export interface Counted {
  id: number
  remaining: number
  createdDate: string
}

/**
 * Entries each good for `times` uses, oldest first; an entry is gone once used up. The faults of
 * the API and of the webhook receiver are both kept this way.
 */
export function createCountdown<S extends { times: number }> () {
  let entries: Array<S & Counted> = []
  let next = 1
  const listeners = new Set<() => void>()
  const changed = (): void => { for (const listener of listeners) listener() }

  return {
    add (spec: S, now: string): S & Counted {
      const entry = { ...spec, id: next++, remaining: spec.times, createdDate: now }
      entries.push(entry)
      changed()
      return entry
    },
    /** The oldest entry that `matches`, counting this use; undefined when none does. Cheap when empty. */
    take (matches: (entry: S & Counted) => boolean): (S & Counted) | undefined {
      if (entries.length === 0) return undefined
      const entry = entries.find(matches)
      if (entry === undefined) return undefined
      entry.remaining--
      if (entry.remaining <= 0) entries = entries.filter((e) => e !== entry)
      changed()
      return { ...entry }
    },
    list: (): Array<S & Counted> => entries.map((e) => ({ ...e })),
    /** Removes every entry, or those `which` picks; returns how many went. */
    clear (which: (entry: S & Counted) => boolean = () => true): number {
      const count = entries.length
      entries = entries.filter((e) => !which(e))
      if (entries.length < count) changed()
      return count - entries.length
    },
    size: (): number => entries.length,
    /** Calls `listener` whenever an entry is added, used or cleared; returns how to stop. */
    onChange (listener: () => void): () => void {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    }
  }
}

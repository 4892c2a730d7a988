import { performance, type EventLoopUtilization } from 'node:perf_hooks'

export interface IdleReleaseOptions {
  /** A full garbage collection (`globalThis.gc`, which node exposes under --expose-gc). */
  collect: () => void
  /** Told after each collection, with how long it took. */
  onCollected?: (ms: number) => void
  /** The share of a window the event loop was busy; node's event loop utilization by default. */
  utilization?: () => number
  /** How often the loop's utilization is read. */
  windowMs?: number
  /** Read at each window: once false, the release stops for good (the server closed). */
  active?: () => boolean
}

/** What the server logs (at debug) after each collection. */
export const MEMORY_RELEASED = 'memory released after a busy stretch'

/** A window at least this busy is load: the heap may have grown, so memory is owed back. */
export const BUSY_SHARE = 0.1
/** A window less busy than this is idle: a collection then delays nothing that matters. */
export const IDLE_SHARE = 0.05
/**
 * Collections made after each busy stretch. V8 keeps the old generation it grew to: a first full
 * collection frees its dead objects, a second one, a window later, moves the survivors of the pages
 * it left sparse, and the emptied pages go back to the system.
 */
export const COLLECTIONS_OWED = 2

/** The share of the time since the last call that node's event loop was busy. */
function loopUtilization (): () => number {
  let last: EventLoopUtilization = performance.eventLoopUtilization()
  return () => {
    const now = performance.eventLoopUtilization()
    const share = performance.eventLoopUtilization(now, last).utilization
    last = now
    return share
  }
}

/**
 * Gives memory back once the server is idle after being busy: V8 does not shrink a heap that a
 * burst grew, and a mock left running in a dev stack would otherwise keep its peak all day.
 * Reads the event loop's utilization every window; after a busy window, each of the next idle
 * windows runs one full collection until COLLECTIONS_OWED were made. A busy window owes them again.
 * Returns a function that stops it; it also stops once `active` says so.
 */
export function releaseMemoryWhenIdle (options: IdleReleaseOptions): () => void {
  const utilization = options.utilization ?? loopUtilization()
  let owed = 0
  const timer = setInterval(() => {
    if (options.active?.() === false) {
      clearInterval(timer)
      return
    }
    const share = utilization()
    if (share >= BUSY_SHARE) {
      owed = COLLECTIONS_OWED
      return
    }
    if (share >= IDLE_SHARE || owed === 0) return
    owed--
    const started = performance.now()
    options.collect()
    options.onCollected?.(performance.now() - started)
  }, options.windowMs ?? 1000)
  timer.unref()
  return () => clearInterval(timer)
}

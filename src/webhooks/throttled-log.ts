/**
 * Logs a repeated failure at most once per `everyMs` for each cause: the first occurrence at once,
 * later ones folded into the next line's `count` (how many times it happened since the last line,
 * that one included).
 */
export function createThrottledLog (everyMs = 1000, now: () => number = Date.now) {
  const causes = new Map<string, { loggedAt: number, unlogged: number }>()
  return {
    report (cause: string, write: (count: number) => void): void {
      const state = causes.get(cause)
      const at = now()
      if (state !== undefined && at - state.loggedAt < everyMs) {
        state.unlogged++
        return
      }
      write((state?.unlogged ?? 0) + 1)
      causes.set(cause, { loggedAt: at, unlogged: 0 })
    },
    clear (): void {
      causes.clear()
    }
  }
}

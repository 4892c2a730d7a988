/** Milliseconds since the epoch. It may carry a fraction of a millisecond: the microseconds webhook dates show. */
export type Clock = () => number

/**
 * The machine's clock to the microsecond, as Java's clock reads on Linux: Date.now() gives the
 * milliseconds, the monotonic clock the microsecond digits below them.
 */
export function systemClock (): number {
  // In whole microseconds. The two clocks do not roll over together, so the sum could step back
  // within a millisecond: a reading is never below the last one.
  lastMicros = Math.max(Date.now() * 1000 + Number(process.hrtime.bigint() / 1000n % 1000n), lastMicros + 1)
  return lastMicros / 1000
}
let lastMicros = 0

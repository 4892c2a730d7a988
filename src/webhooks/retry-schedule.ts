/**
 * Calypso's documented retry schedule, in seconds after each failed attempt: a first retry after
 * 30 s, then 30, 60, 90, 150, 240 and on, each interval the sum of the two before it, to a last
 * interval of 125 430 s: 19 retries in all, 20 attempts with the first.
 */
export const CALYPSO_RETRY_SECONDS: readonly number[] = [
  30, 30, 60, 90, 150, 240, 390, 630, 1020, 1650, 2670, 4320, 6990, 11310, 18300, 29610, 47910, 77520, 125430
]

export const MAX_RETRIES = CALYPSO_RETRY_SECONDS.length

/** The delay before retry number `retry` (1-based), or undefined once the retries are spent. */
export function retryDelayMs (retry: number, scale: number, schedule: readonly number[] = CALYPSO_RETRY_SECONDS): number | undefined {
  const seconds = schedule[retry - 1]
  return seconds === undefined ? undefined : Math.round(seconds * 1000 * scale)
}

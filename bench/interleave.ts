import autocannon from 'autocannon'

export interface Load { rps: number, p50: number, p99: number, errors: number, non2xx: number }

export async function load (url: string, request: autocannon.Request, connections: number, seconds: number): Promise<Load> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1, requests: [request] })
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx
  }
}

export function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

export interface Interleaved {
  /** Each target's loads, one per round. */
  runs: Record<string, Load[]>
  /** Each target's median round, by requests a second. */
  median: Record<string, Load>
}

/**
 * Loads each target in turn, round after round, with the order rotated every round: a change in
 * the machine's load meets every target alike, so their ratio holds where the absolute figures drift.
 * All targets run throughout; only the one under load is busy.
 */
export async function interleave (targets: Record<string, string>, request: autocannon.Request, connections: number, rounds: number, seconds: number): Promise<Interleaved> {
  const names = Object.keys(targets)
  const runs: Record<string, Load[]> = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length] as string)
    for (const name of order) (runs[name] as Load[]).push(await load(targets[name] as string, request, connections, seconds))
  }
  const medianOf = (loads: Load[]): Load => {
    const rps = median(loads.map((l) => l.rps))
    return loads.find((l) => l.rps === rps) as Load
  }
  return { runs, median: Object.fromEntries(names.map((name) => [name, medianOf(runs[name] as Load[])])) }
}

import { CliError } from './mock-client.js'

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `1500`, `1500ms`, `30s`, `15m`, `34h`, `31d`, `91h13m` in milliseconds; a CliError naming `flag` for anything else. */
export function parseDuration (value: string, flag: string): number {
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text)
  if (!/^(\d+(ms|s|m|h|d))+$/.test(text)) throw new CliError(`${flag} takes whole numbers of ms, s, m, h or d (e.g. 34h, 91h13m), got ${JSON.stringify(value)}`)
  let ms = 0
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) ms += Number(amount) * (UNITS[unit as string] as number)
  return ms
}

/** Milliseconds as the largest units that divide them: 1d 10h 50m 30s. */
export function formatDuration (ms: number): string {
  let rest = ms
  const parts: string[] = []
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`)
      rest %= size
    }
  }
  return parts.length === 0 ? '0ms' : parts.join(' ')
}

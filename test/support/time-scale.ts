import t from 'tap'

/**
 * How much slower than a quiet 2-core machine this run may be. Every guard a test waits under (a
 * wait for a webhook, a log line, a page element, a child process) and the tap timeout of a slow
 * file is multiplied by it; the tests never wait it out when the signal comes. Read once, here:
 * `TEST_TIME_SCALE=4 npm test` on a busy CI runner (docs/test-loop.md). Below 1 it shrinks the
 * guards, which shows how close a wait is to its budget on a quiet machine.
 */
export const TIME_SCALE = parseScale(process.env.TEST_TIME_SCALE)

function parseScale (text: string | undefined): number {
  if (text === undefined || text === '') return 1
  const scale = Number(text)
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`TEST_TIME_SCALE must be a positive number, got ${JSON.stringify(text)}`)
  return scale
}

/**
 * Every test file that loads this module (the helpers do) has tap's file timeout (package.json's
 * `tap.timeout`, which tap hands each file as TAP_TIMEOUT) at this run's time scale too.
 */
const fileSeconds = Number(process.env.TAP_TIMEOUT ?? '0')
if (TIME_SCALE !== 1 && fileSeconds > 0) t.setTimeout(Math.ceil(fileSeconds * 1000 * TIME_SCALE))

/** `ms` of a quiet machine, at this run's time scale. */
export function scaled (ms: number): number {
  return Math.ceil(ms * TIME_SCALE)
}

/**
 * Gives this test file its own tap timeout (the default is package.json's `tap.timeout`): `ms` at
 * this run's time scale. For the files that start processes, a browser or a build.
 */
export function fileTimeout (ms: number): void {
  t.setTimeout(scaled(ms))
}

/**
 * What became of `promise` within `ms` (at this run's time scale): 'resolved', 'rejected: <why>', or
 * 'pending after <n> ms'. A test asserts 'resolved', so a hang fails as an assertion that says so,
 * not as the file's timeout.
 */
export async function outcomeWithin (promise: Promise<unknown>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  const guard = new Promise<string>((resolve) => { timer = setTimeout(() => resolve(`pending after ${scaled(ms)} ms`), scaled(ms)) })
  try {
    return await Promise.race([promise.then(() => 'resolved', (err: unknown) => `rejected: ${err instanceof Error ? err.message : String(err)}`), guard])
  } finally {
    clearTimeout(timer)
  }
}

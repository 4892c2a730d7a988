import type { ClocksRepository } from '../store/clocks-repository.js'
import type { DomainContext } from './context.js'
import { takeDueSteps } from './deposits.js'
import { expireDuePursesOf } from './purse-expiry.js'

/**
 * The test clock. Each account's time is the machine's plus the account's offset, kept in the
 * database (account_clocks) so a snapshot can copy it. It runs at the machine's pace; advancing adds
 * to the offset, resetting puts it back to 0. Business times (createdDate, transaction and purse
 * dates, webhook dates, delivery log times) are read from it; request timestamps are not.
 */
export type AccountClock = (account?: string) => number

/** The clock of each account, on `machine` (milliseconds since the epoch, maybe with microseconds). */
export function createAccountClock (clocks: ClocksRepository, machine: () => number): AccountClock {
  return (account) => account === undefined ? machine() : machine() + clocks.offsetOf(account)
}

/** What GET /_mock/clock answers. */
export interface ClockState {
  account: string
  /** The account's time, ISO-8601 to the millisecond. */
  now: string
  /** How far it runs ahead of the machine's clock. */
  offsetMs: number
}

/** What an advance fired, in the order it fired it. */
export interface AdvanceReport extends ClockState {
  advancedMs: number
  fired: { depositSteps: number, pursesExpired: number, deliveriesSent: number }
}

export function readClock (ctx: DomainContext, account: string): ClockState {
  return { account, now: new Date(Math.floor(ctx.clock(account))).toISOString(), offsetMs: ctx.store.clocks.offsetOf(account) }
}

/**
 * Sets the account's offset. Its pending deliveries are kept on the machine's clock (the dispatcher's),
 * so they move the other way: a retry due in 30 s of the account's time stays due in 30 s of it.
 */
function setOffset (ctx: DomainContext, account: string, offsetMs: number): void {
  ctx.store.transaction(() => {
    const before = ctx.store.clocks.offsetOf(account)
    if (offsetMs === before) return
    ctx.store.clocks.setOffset(account, offsetMs)
    ctx.store.deliveries.shiftDueOf(account, before - offsetMs)
  })
}

/** What is due on the account's clock now, except deliveries: deposit steps, then purse expiry. */
function fireDueSteps (ctx: DomainContext, account: string, fired: AdvanceReport['fired']): number {
  const steps = takeDueSteps(ctx, account)
  const expired = expireDuePursesOf(ctx, account)
  fired.depositSteps += steps
  fired.pursesExpired += expired
  return steps + expired
}

/**
 * When the account's next timed thing falls due, on its clock: a delivery (unless `withDeliveries`
 * is false), a deposit step or a purse expiry.
 */
function nextDue (ctx: DomainContext, account: string, withDeliveries: boolean): number | undefined {
  const offset = ctx.store.clocks.offsetOf(account)
  const delivery = withDeliveries ? ctx.store.deliveries.nextDueOf(account) : undefined
  const expiry = ctx.store.purses.nextExpiryOf(account)
  const times = [
    delivery === undefined ? undefined : delivery + offset,
    ctx.store.transactions.nextStepOf(account),
    expiry === undefined ? undefined : Date.parse(expiry)
  ].filter((t): t is number => t !== undefined)
  return times.length === 0 ? undefined : Math.min(...times)
}

/**
 * Moves the account's clock `ms` on and fires, in time order, everything that falls due on the way:
 * later steps of deposits that wait on time, purse expiry, and webhook deliveries and their retries
 * on the ladder. The clock stops at each of those times, so each happens at its own time; the
 * promise resolves once every attempt made on the way is recorded.
 * `sendDue` sends the account's deliveries due now and resolves when they are recorded (the dispatcher's drain).
 */
export async function advanceClock (ctx: DomainContext, account: string, ms: number, sendDue: (account: string) => Promise<number>): Promise<AdvanceReport> {
  const finalOffset = ctx.store.clocks.offsetOf(account) + ms
  const fired = { depositSteps: 0, pursesExpired: 0, deliveriesSent: 0 }
  const attemptsBefore = ctx.store.deliveries.attemptCountOf(account)
  const fireDue = async (): Promise<void> => {
    for (;;) {
      const steps = fireDueSteps(ctx, account, fired)
      const sent = await sendDue(account)
      if (steps === 0 && sent === 0) return
    }
  }
  await fireDue()
  let withDeliveries = true
  for (;;) {
    const next = nextDue(ctx, account, withDeliveries)
    const machineNow = ctx.clock()
    if (next === undefined || next > machineNow + finalOffset) break
    const current = ctx.store.clocks.offsetOf(account)
    const offset = Math.min(finalOffset, Math.max(current, Math.ceil(next - machineNow)))
    if (offset === current) {
      // Due already, yet not sent: the dispatcher is paused or closing. For the rest of the advance
      // the deliveries make no stops (each stop still offers them), so the other timed things keep their times.
      if (!withDeliveries) break
      withDeliveries = false
      continue
    }
    setOffset(ctx, account, offset)
    await fireDue()
  }
  setOffset(ctx, account, finalOffset)
  await fireDue()
  fired.deliveriesSent = ctx.store.deliveries.attemptCountOf(account) - attemptsBefore
  return { ...readClock(ctx, account), advancedMs: ms, fired }
}

/** Puts the account's clock back on the machine's; what waits on time keeps its dates. */
export function resetClock (ctx: DomainContext, account: string): ClockState {
  setOffset(ctx, account, 0)
  return readClock(ctx, account)
}

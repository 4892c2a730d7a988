import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { takeDueSteps } from '../domain/deposits.js'

/** The longest a timer may be set for (setTimeout's 32-bit limit). */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Deposits that wait on time (`stepEveryMs`) take their steps when due, in real time: one timer,
 * set for the soonest waiting step of any account on its clock, and set again after each commit
 * that may change it (a new deposit, a step, a clock moved). POST /_mock/clock/advance takes the
 * steps an advance passes itself.
 */
export default fp(async function timedSteps (app: FastifyInstance) {
  let timer: NodeJS.Timeout | undefined
  let closed = false

  function run (): void {
    timer = undefined
    try {
      for (const { account } of app.store.accounts.list()) takeDueSteps(app.domain, account)
    } catch (err) {
      app.log.error({ err }, 'a timed deposit step failed')
    }
    schedule()
  }

  function schedule (): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    const next = closed ? undefined : app.store.transactions.nextStepOnMachine()
    if (next === undefined) return
    timer = setTimeout(run, Math.min(Math.max(0, next.at - app.clock()), MAX_TIMER_MS))
    timer.unref()
  }

  const stop = app.store.onCommit((changes) => {
    if (changes.some((c) => c.kind === 'clock' || (c.kind === 'event' && c.transactionId !== null))) schedule()
  })
  app.addHook('onReady', async () => { schedule() })
  app.addHook('preClose', async () => {
    closed = true
    stop()
    if (timer !== undefined) clearTimeout(timer)
  })
}, { name: 'timed-steps', dependencies: ['domain-context', 'store'] })

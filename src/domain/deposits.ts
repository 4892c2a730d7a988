import type { z } from 'zod'
import { generateAddress } from './addresses.js'
import { addressFamily, CURRENCY_CODES, isCurrency } from './currencies.js'
import { PAUSE_STATES, type AddressFamily, type Currency, type PauseState, type TransactionState } from './model.js'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import type { depositRequest } from '../schemas/mock/deposits.js'
import type { Purse } from '../store/purses-repository.js'
import type { TransactionProgress } from '../store/transactions-repository.js'
import type { CustomerPurseEvent } from './event-types.js'
import { emitEvent } from '../webhooks/outbox.js'
import type { DomainContext } from './context.js'
import { eventData } from './event-data.js'
import { getOrCreatePurse } from './purses.js'

/** A confirmed deposit keeps its purse alive this long after it (Calypso: 12 months after the last deposit). */
export const PURSE_LIFETIME_AFTER_DEPOSIT_MS = 365 * 24 * 3600 * 1000

/** The body of POST /_mock/deposits, as its schema outputs it. */
export type DepositRequest = z.output<typeof depositRequest>

/** How far along the flow a transaction is: 0 mempool, 1 compliance, 2 confirmed, 3 credited; DECLINED is terminal. */
function position (tx: TransactionProgress): number {
  if (tx.transactionState === 'DECLINED') return Infinity
  if (tx.translationToAccountCompleted) return 3
  return PAUSE_STATES.indexOf(tx.transactionState as PauseState)
}

interface Step {
  state: TransactionState
  compliance: 'UNCHECKED' | 'IN_PROGRESS' | 'DECLINE' | 'CHECKED'
  credited: boolean
  event: CustomerPurseEvent
}

function nextStep (tx: TransactionProgress): Step | undefined {
  switch (position(tx)) {
    case 0: return { state: 'PENDING_COMPLIANCE_CHECK', compliance: 'IN_PROGRESS', credited: false, event: 'CUSTOMER_PURSE_PENDING_COMPLIANCE' }
    case 1: return tx.outcome === 'DECLINED'
      ? { state: 'DECLINED', compliance: 'DECLINE', credited: false, event: 'CUSTOMER_PURSE_COMPLIANCE_DECLINED' }
      : { state: 'CONFIRMED', compliance: 'CHECKED', credited: false, event: 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE' }
    case 2: return { state: 'CONFIRMED', compliance: 'CHECKED', credited: true, event: 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED' }
    default: return undefined
  }
}

/** One step of the flow in its own transaction: the new state, its side effects on the purse, and its event. */
function takeStep (ctx: DomainContext, transactionId: string): TransactionProgress {
  return ctx.store.transaction(() => {
    const tx = ctx.store.transactions.progress(transactionId) as TransactionProgress
    const step = nextStep(tx)
    if (step === undefined) return tx
    const nowMs = ctx.clock(tx.account)
    ctx.store.transactions.setState(tx.id, step.state, step.compliance, step.credited)
    const purse = ctx.store.purses.findById(tx.purseId) as Purse
    if (step.state === 'DECLINED') ctx.store.purses.decline(purse.id)
    if (step.event === 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE') {
      ctx.store.purses.recordDeposit(purse.id, new Date(nowMs).toISOString(), new Date(nowMs + PURSE_LIFETIME_AFTER_DEPOSIT_MS).toISOString())
    }
    const updated = ctx.store.transactions.progress(tx.id) as TransactionProgress
    emitEvent(ctx.store, { account: tx.account, eventType: step.event, data: eventData(ctx, purse, updated), transactionId: tx.id, nowMs })
    return updated
  })
}

function runUntil (ctx: DomainContext, transactionId: string, stopAt: PauseState | undefined): TransactionProgress {
  let tx = ctx.store.transactions.progress(transactionId) as TransactionProgress
  const target = stopAt === undefined ? Infinity : PAUSE_STATES.indexOf(stopAt)
  while (position(tx) < target && nextStep(tx) !== undefined) tx = takeStep(ctx, transactionId)
  return tx
}

function randomHash (family: AddressFamily, ctx: DomainContext): string {
  const hex = ctx.ids.hex(64)
  return family === 'evm' ? `0x${hex}` : hex
}

/** The purse a deposit lands in: the customer's active address for the currency, or the purse of an address. */
function resolvePurse (ctx: DomainContext, request: DepositRequest, currency: Currency): Purse {
  if (request.customerId !== undefined) {
    const account = ctx.store.customers.accountOf(request.customerId)
    if (account === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.depositCustomerNotFound(request.customerId))
    return getOrCreatePurse(ctx, account, request.customerId, currency)
  }
  const address = request.address as string
  const purse = ctx.store.purses.findByAddress(address)
  if (purse === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.addressNotFound(address))
  if (addressFamily(currency) !== purse.network) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.currencyNotOnChain(currency, purse.network, address))
  if (purse.status !== 'PENDING_PAYMENT') throw new ApiError(ErrorCode.BAD_REQUEST, Reason.addressClosed(address, purse.status))
  // The address serves every currency of its chain family: a deposit in another one is recorded as served.
  return purse.currencies.includes(currency) ? purse : ctx.store.purses.addCurrency(purse.id, currency)
}

/**
 * Fakes an incoming deposit: records the transaction on the customer's purse and drives it through
 * MEM_POOL_FOUND → PENDING_COMPLIANCE_CHECK → CONFIRMED → credited (or DECLINED), one transaction and
 * one event per step, stopping early at `stopAt`. Deposits to a blocked customer are credited too.
 * `skipMemPoolFound` leaves out the first event, as Calypso may ("not guaranteed to be sent").
 */
export function createDeposit (ctx: DomainContext, request: DepositRequest): TransactionProgress {
  if (!isCurrency(request.currency)) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.unknownCurrency(request.currency, CURRENCY_CODES))
  const currency = request.currency
  if (request.outcome === 'DECLINED' && request.stopAt === 'CONFIRMED') {
    throw new ApiError(ErrorCode.BAD_REQUEST, Reason.confirmedAfterDecline)
  }
  const id = ctx.ids.uuid()
  const waits = request.stepEveryMs !== undefined
  const created = ctx.store.transaction(() => {
    const purse = resolvePurse(ctx, request, currency)
    const nowMs = ctx.clock(purse.account)
    const family = addressFamily(currency)
    ctx.store.transactions.insert({
      id,
      account: purse.account,
      customerId: purse.customerId,
      purseId: purse.id,
      amount: request.amount,
      currency,
      addressFrom: request.addressFrom ?? generateAddress(family, ctx.ids.bytes),
      transactionHash: request.transactionHash ?? randomHash(family, ctx),
      outcome: request.outcome,
      now: new Date(nowMs).toISOString(),
      stepEveryMs: request.stepEveryMs ?? null
    })
    if (waits) ctx.store.transactions.setNextStep(id, Math.floor(nowMs) + (request.stepEveryMs ?? 0))
    const tx = ctx.store.transactions.progress(id) as TransactionProgress
    if (request.skipMemPoolFound === true) return tx
    emitEvent(ctx.store, { account: purse.account, eventType: 'CUSTOMER_PURSE_MEM_POOL_FOUND', data: eventData(ctx, purse, tx), transactionId: id, nowMs })
    return tx
  })
  return waits ? created : runUntil(ctx, id, request.stopAt)
}

/**
 * Takes the steps of the account's deposits that wait on time and whose next step is due on its
 * clock, one step each, and sets each one's next step `stepEveryMs` after the step just taken was due.
 * Returns how many steps it took.
 */
export function takeDueSteps (ctx: DomainContext, account: string): number {
  let taken = 0
  for (;;) {
    const due = ctx.store.transactions.dueSteps(account, ctx.clock(account))
    if (due.length === 0) return taken
    for (const id of due) {
      ctx.store.transaction(() => {
        const every = ctx.store.transactions.stepEveryMs(id) ?? 0
        const wasDueAt = ctx.store.transactions.nextStepAt(id) ?? 0
        const tx = takeStep(ctx, id)
        ctx.store.transactions.setNextStep(id, nextStep(tx) === undefined ? null : wasDueAt + every)
      })
      taken++
    }
  }
}

/** Moves a paused deposit on: to the end of its flow, or to `stopAt`. */
export function advanceDeposit (ctx: DomainContext, transactionId: string, stopAt: PauseState | undefined): TransactionProgress {
  const tx = ctx.store.transactions.progress(transactionId)
  if (tx === undefined) throw new ApiError(ErrorCode.NOT_FOUND, Reason.depositTransactionNotFound(transactionId))
  if (nextStep(tx) === undefined) {
    throw new ApiError(ErrorCode.BAD_REQUEST, Reason.transactionComplete(transactionId, tx.transactionState, tx.translationToAccountCompleted))
  }
  if (stopAt !== undefined) {
    const target = PAUSE_STATES.indexOf(stopAt)
    if (target <= position(tx)) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.stopAtNotLater(transactionId, tx.transactionState))
    if (stopAt === 'CONFIRMED' && tx.outcome === 'DECLINED') throw new ApiError(ErrorCode.BAD_REQUEST, Reason.confirmedAfterDecline)
  }
  // Moved on by hand, a deposit no longer waits on time.
  ctx.store.transactions.setNextStep(transactionId, null)
  return runUntil(ctx, transactionId, stopAt)
}

import { randomBytes, randomUUID } from 'node:crypto'
import type { CheckContext, CheckMarks, CheckResult } from './check.js'
import type { ConformanceClient } from './client.js'

/** Calypso's paths, as its docs spell them. */
export const Path = {
  createCustomer: '/api/v1/customer-purse/customer/create',
  updateCustomer: '/api/v1/customer-purse/customer/update',
  blockCustomer: '/api/v1/customer-purse/customer/block',
  unblockCustomer: '/api/v1/customer-purse/customer/unblock',
  getAddress: '/api/v1/customer-purse/address/get',
  getAllPurses: '/api/v1/customer-purse/purse/get-all',
  getTransaction: '/api/v1/customer-purse/transaction/get',
  findTransactions: '/api/v1/customer-purse/transaction/find',
  listWebhooks: '/api/v1/subscription/webhook',
  createWebhook: '/api/v1/subscription/webhook/create',
  deleteWebhook: '/api/v1/subscription/webhook'
} as const

/** What marks this run's data as conformance data, on a real account too. */
export interface RunIdentity {
  runId: string
  email: string
  description: string
  externalId: string
}

export function newRunIdentity (runId = randomBytes(4).toString('hex')): RunIdentity {
  return {
    runId,
    email: `conformance+${runId}@calypso-mock.invalid`,
    description: `calypso-mock conformance run ${runId}: test data, safe to delete`,
    externalId: `calypso-mock-conformance-${runId}`
  }
}

/** What earlier checks produced for later ones. */
export interface RunState {
  customer?: { id: string }
  /** A second account the mock made for this run (POST /_mock/accounts), with a customer of its own. */
  otherAccount?: { account: string, apiKey: string, apiSecret: string, customerId?: string }
  /** The first customer's purse for each currency asked, as address/get answered. */
  purses: Record<string, { id: string, address: string }>
  depositedTransaction?: { id: string, currency: string, amount: number, purseId?: string }
}

/** Whether the target is calypso-mock, why the run decided so, and if not, why deposits cannot be faked. */
export interface TargetInfo {
  isMock: boolean
  /** Why the run took the target for what it is: the evidence, or the flag. */
  why: string
  /** Set when deposits cannot be faked; the reason a deposit step is skipped. */
  noDeposits?: string
  /** The target's WEBHOOK_RETRY_SCALE, when known: the retry ladder is checked at it. */
  retryScale?: number
  /** How long the retry checks may wait for retries; 20 s by default. */
  retryBudgetMs?: number
}

export interface ScenarioRun {
  identity: RunIdentity
  /** The signed client of the run's account. */
  client: ConformanceClient
  state: RunState
  target: TargetInfo
  check: (name: string, body: (t: CheckContext) => Promise<void>, marks?: CheckMarks) => Promise<CheckResult>
  /** A check that needs the mock's controls (a faked deposit, a second account): skipped with the reason when the target has none. */
  depositCheck: (name: string, body: (t: CheckContext) => Promise<void>, marks?: CheckMarks) => Promise<CheckResult>
}

export interface Scenario {
  name: string
  /** What it sends and creates, printed before anything is sent. */
  plan: (identity: RunIdentity) => string[]
  run: (s: ScenarioRun) => Promise<void>
}

/** An id that no account has: refusals and not-found answers change nothing. */
export function unknownId (): string {
  return randomUUID()
}

export function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

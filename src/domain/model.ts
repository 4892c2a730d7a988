/**
 * The enumerations that the schemas (what the wire accepts) and the store (what is kept) share.
 * It imports nothing, so both may depend on it without depending on each other.
 */

export const TRANSACTION_STATES = ['MEM_POOL_FOUND', 'PENDING_COMPLIANCE_CHECK', 'DECLINED', 'CONFIRMED'] as const
export const COMPLIANCE_STATES = ['UNCHECKED', 'IN_PROGRESS', 'DECLINE', 'CHECKED'] as const
export type TransactionState = (typeof TRANSACTION_STATES)[number]
export type ComplianceState = (typeof COMPLIANCE_STATES)[number]

/** How a faked deposit ends. */
export type Outcome = 'CONFIRMED' | 'DECLINED'

/** The states a deposit can be paused in, in the order the flow reaches them. */
export const PAUSE_STATES = ['MEM_POOL_FOUND', 'PENDING_COMPLIANCE_CHECK', 'CONFIRMED'] as const
export type PauseState = (typeof PAUSE_STATES)[number]

/** The properties transaction/find can sort on, and the stored field behind each. */
export const SORT_COLUMNS = {
  createdDate: 'created_at',
  amount: 'amount',
  currency: 'currency',
  transactionState: 'transaction_state',
  complianceState: 'compliance_state',
  id: 'id'
} as const
export type SortProperty = keyof typeof SORT_COLUMNS

export type AddressFamily = 'bitcoin' | 'litecoin' | 'dogecoin' | 'evm' | 'tron'

/**
 * The currencies the mock accepts and the address family each one's chain uses. Calypso publishes
 * no list; this is the set seen in its docs and in public clients. Currencies of one family share
 * a customer's address, as on Calypso (one EVM address serves ETH, USDT_BSC and POL).
 */
export const CURRENCIES = {
  BTC: 'bitcoin',
  LTC: 'litecoin',
  XDG: 'dogecoin',
  ETH: 'evm',
  USDT: 'evm',
  USDC: 'evm',
  DAI: 'evm',
  FRAX: 'evm',
  BNB: 'evm',
  USDT_BSC: 'evm',
  POL: 'evm',
  MATIC: 'evm',
  USDT_MATIC: 'evm',
  TRX: 'tron',
  USDT_TRX: 'tron',
  USDC_TRX: 'tron'
} as const satisfies Record<string, AddressFamily>

export type Currency = keyof typeof CURRENCIES

/**
 * What an injected webhook fault does: fail (the attempt fails without being sent), duplicate,
 * reorder, delay, bad-signature, stale. See docs/delivery-chaos.md.
 */
export const WEBHOOK_FAULT_KINDS = ['fail', 'duplicate', 'reorder', 'delay', 'bad-signature', 'stale'] as const
export type WebhookFaultKind = (typeof WEBHOOK_FAULT_KINDS)[number]

/**
 * The currencies the mock accepts and the address family each one's chain uses. Calypso publishes
 * no list; this is the set seen in its docs and in public clients. Currencies of one family share
 * a customer's address, as on Calypso (one EVM address serves ETH, USDT_BSC and POL).
 */
export type AddressFamily = 'bitcoin' | 'litecoin' | 'dogecoin' | 'evm' | 'tron'

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

export const CURRENCY_CODES = Object.keys(CURRENCIES) as Currency[]

export function isCurrency (value: string): value is Currency {
  return Object.hasOwn(CURRENCIES, value)
}

export function addressFamily (currency: Currency): AddressFamily {
  return CURRENCIES[currency]
}

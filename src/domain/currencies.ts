import { CURRENCIES, type AddressFamily, type Currency } from './model.js'

export const CURRENCY_CODES = Object.keys(CURRENCIES) as Currency[]

export function isCurrency (value: string): value is Currency {
  return Object.hasOwn(CURRENCIES, value)
}

export function addressFamily (currency: Currency): AddressFamily {
  return CURRENCIES[currency]
}

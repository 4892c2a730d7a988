import { createHmac } from 'node:crypto'

/**
 * Calypso's published signing example ("Get started with API", docs.calypso.finance/docs/get-started-with-api):
 * this key pair signs the data `{"timestamp":1}` as `sign`. The stored copy of the page shows the first
 * 96 hex digits; the rest was computed with Python's hmac and `openssl dgst -sha512 -hmac`
 * (shared/research/calypso-api.md §2). Tests compare against these literals, not against our own functions.
 */
export const PUBLISHED_EXAMPLE = {
  apiKey: 'c529e14832b34b74972365cf7bf02430',
  secret: 'b823a6b9ea72408583cef9ec8d67fa52',
  data: '{"timestamp":1}',
  sign: 'b16e9d45f49f2069becbc4f108b237bee588cfc353fe9501df103e692acbc68d482a10d34c12bea22fedde7e28e1b8e57a6a0a373b0e9a27c5257bd8b36e13b9'
} as const

/**
 * A webhook checked as a merchant checks it, with node:crypto and none of the mock's code: `Sign` is
 * the lowercase hex HMAC-SHA512 of the raw bytes, keyed with the subscription's secret.
 */
export function merchantAccepts (raw: Buffer | string, secret: string, sign: string | undefined): boolean {
  return sign !== undefined && createHmac('sha512', secret).update(raw).digest('hex') === sign
}

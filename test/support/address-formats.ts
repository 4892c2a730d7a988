import { createHash } from 'node:crypto'

// Address checks written from the specifications, independent of src/addresses.ts, so that a test
// of a generated address can fail. Both are themselves checked against the specifications' own
// vectors in address-formats.test.ts.

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'

function polymod (values: number[]): number {
  const generators = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
  let chk = 1
  for (const value of values) {
    const top = chk >>> 25
    chk = ((chk & 0x1ffffff) << 5) ^ value
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= generators[i]!
  }
  return chk
}

function hrpExpand (hrp: string): number[] {
  const codes = [...hrp].map((c) => c.charCodeAt(0))
  return [...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31)]
}

/**
 * A segwit version-0 address (P2WPKH or P2WSH) for `hrp`, decoded as BIP-173 says
 * (github.com/bitcoin/bips/blob/master/bip-0173.mediawiki): at most 90 characters, one case, the
 * last '1' separates the human-readable part, a bech32 checksum (polymod 1), then witness version 0
 * and a program of 20 or 32 bytes regrouped from 5 to 8 bits with at most 4 bits of zero padding.
 * Returns the witness program, or undefined when the address is invalid.
 */
export function segwitV0Program (address: string, hrp: string): Buffer | undefined {
  if (address.length > 90 || (address !== address.toLowerCase() && address !== address.toUpperCase())) return undefined
  const lower = address.toLowerCase()
  const separator = lower.lastIndexOf('1')
  if (separator < 1 || separator + 7 > lower.length || lower.slice(0, separator) !== hrp) return undefined
  const data = [...lower.slice(separator + 1)].map((c) => BECH32_CHARSET.indexOf(c))
  if (data.some((d) => d < 0) || polymod([...hrpExpand(hrp), ...data]) !== 1) return undefined
  const [version, ...words] = data.slice(0, -6)
  if (version !== 0) return undefined
  let acc = 0
  let bits = 0
  const bytes: number[] = []
  for (const word of words) {
    acc = (acc << 5) | word
    bits += 5
    if (bits >= 8) {
      bits -= 8
      bytes.push((acc >>> bits) & 0xff)
    }
  }
  if (bits >= 5 || (acc & ((1 << bits) - 1)) !== 0) return undefined
  return bytes.length === 20 || bytes.length === 32 ? Buffer.from(bytes) : undefined
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

/**
 * The payload (version byte and data) of a base58check string, as the Bitcoin wiki's
 * "Base58Check encoding" describes it (en.bitcoin.it/wiki/Base58Check_encoding): base58 digits, each
 * leading '1' a zero byte, and the last 4 bytes the first 4 of SHA-256(SHA-256(payload)).
 * Returns undefined when a character or the checksum is wrong.
 */
export function base58checkPayload (text: string): Buffer | undefined {
  let n = 0n
  for (const c of text) {
    const digit = BASE58_ALPHABET.indexOf(c)
    if (digit < 0) return undefined
    n = n * 58n + BigInt(digit)
  }
  const hex = n === 0n ? '' : n.toString(16)
  const zeros = text.length - text.replace(/^1+/, '').length
  const bytes = Buffer.concat([Buffer.alloc(zeros), Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex')])
  if (bytes.length < 5) return undefined
  const payload = bytes.subarray(0, -4)
  const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest()
  return sha256(sha256(payload)).subarray(0, 4).equals(bytes.subarray(-4)) ? payload : undefined
}

/** A base58check address of `version` with a 20-byte hash: Bitcoin P2PKH (0x00), Dogecoin (0x1e), Tron (0x41). */
export function isBase58Address (address: string, version: number): boolean {
  const payload = base58checkPayload(address)
  return payload !== undefined && payload.length === 21 && payload[0] === version
}

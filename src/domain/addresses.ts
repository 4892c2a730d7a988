import { createHash } from 'node:crypto'
import type { AddressFamily } from './model.js'

/**
 * Deposit addresses that pass the format checks of each chain: bech32 with a valid checksum for
 * Bitcoin and Litecoin, base58check for Tron and Dogecoin, 20-byte hex for EVM chains. They are
 * random, so nobody can ever send real funds to them knowingly.
 */
export function generateAddress (family: AddressFamily, random: (length: number) => Buffer): string {
  const hash160 = random(20)
  switch (family) {
    case 'bitcoin': return segwitV0('bc', hash160)
    case 'litecoin': return segwitV0('ltc', hash160)
    case 'dogecoin': return base58check(Buffer.concat([Buffer.from([0x1e]), hash160]))
    case 'tron': return base58check(Buffer.concat([Buffer.from([0x41]), hash160]))
    case 'evm': return `0x${hash160.toString('hex')}`
  }
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const BECH32_GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]

function bech32Polymod (values: number[]): number {
  let chk = 1
  for (const value of values) {
    const top = chk >>> 25
    chk = ((chk & 0x1ffffff) << 5) ^ value
    BECH32_GENERATORS.forEach((g, i) => { if ((top >>> i) & 1) chk ^= g })
  }
  return chk
}

function convertBits (data: Uint8Array, from: number, to: number): number[] {
  let acc = 0
  let bits = 0
  const out: number[] = []
  const max = (1 << to) - 1
  for (const value of data) {
    acc = (acc << from) | value
    bits += from
    while (bits >= to) {
      bits -= to
      out.push((acc >>> bits) & max)
    }
  }
  if (bits > 0) out.push((acc << (to - bits)) & max)
  return out
}

/** BIP-173 bech32 encoding of a version-0 witness program (P2WPKH for 20 bytes). */
export function segwitV0 (hrp: string, program: Uint8Array): string {
  const data = [0, ...convertBits(program, 8, 5)]
  const expanded = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)]
  const polymod = bech32Polymod([...expanded, ...data, 0, 0, 0, 0, 0, 0]) ^ 1
  const checksum = Array.from({ length: 6 }, (_, i) => (polymod >>> (5 * (5 - i))) & 31)
  return `${hrp}1${[...data, ...checksum].map((d) => BECH32_CHARSET[d]).join('')}`
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

function sha256 (data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest()
}

export function base58check (payload: Buffer): string {
  const bytes = Buffer.concat([payload, sha256(sha256(payload)).subarray(0, 4)])
  let n = BigInt(`0x${bytes.toString('hex')}`)
  let out = ''
  while (n > 0n) {
    out = (BASE58_ALPHABET[Number(n % 58n)] as string) + out
    n /= 58n
  }
  for (const byte of bytes) {
    if (byte !== 0) break
    out = `1${out}`
  }
  return out
}

import { createHash, randomBytes, randomUUID } from 'node:crypto'

/** Where every generated identifier, address and key comes from, so a seed can make them repeatable. */
export interface IdSource {
  uuid: () => string
  bytes: (length: number) => Buffer
  hex: (length: number) => string
  /** Starts the sequence again (seeded sources only; a random source has no sequence). */
  restart: () => void
}

export function randomIdSource (): IdSource {
  return {
    uuid: () => randomUUID(),
    bytes: (length) => randomBytes(length),
    hex: (length) => randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length),
    restart: () => {}
  }
}

/** A deterministic source: SHA-256 in counter mode over the seed. Not for secrets that matter. */
export function seededIdSource (seed: string): IdSource {
  let counter = 0
  const bytes = (length: number): Buffer => {
    const chunks: Buffer[] = []
    let size = 0
    while (size < length) {
      const chunk = createHash('sha256').update(`${seed}:${counter++}`).digest()
      chunks.push(chunk)
      size += chunk.length
    }
    return Buffer.concat(chunks).subarray(0, length)
  }
  return {
    uuid: () => formatUuidV4(bytes(16)),
    bytes,
    hex: (length) => bytes(Math.ceil(length / 2)).toString('hex').slice(0, length),
    restart: () => { counter = 0 }
  }
}

function formatUuidV4 (b: Buffer): string {
  b[6] = ((b[6] as number) & 0x0f) | 0x40
  b[8] = ((b[8] as number) & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

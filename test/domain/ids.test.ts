import { createHash } from 'node:crypto'
import t from 'tap'
import { randomIdSource, seededIdSource } from '../../src/domain/ids.js'

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const HEX = /^[0-9a-f]*$/

/** Block `n` of a seed's stream, computed here as the source documents it: SHA-256 of `seed:n`. */
const block = (seed: string, n: number): Buffer => createHash('sha256').update(`${seed}:${n}`).digest()

/** The UUID a seeded source makes of a block: its first 16 bytes with the v4 version and RFC 4122 variant bits. */
function uuidOf (b: Buffer): string {
  const h = b.subarray(0, 16).toString('hex').split('')
  h[12] = '4'
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
  const s = h.join('')
  return [s.slice(0, 8), s.slice(8, 12), s.slice(12, 16), s.slice(16, 20), s.slice(20, 32)].join('-')
}

t.test('a seeded source\'s bytes are SHA-256 of seed:counter, one block per 32 bytes, each call starting on a new block', async (t) => {
  const ids = seededIdSource('alpha')
  t.same(ids.bytes(32), block('alpha', 0), 'exactly one block')
  t.same(ids.bytes(32), block('alpha', 1), 'the next call takes the next block')
  t.same(ids.bytes(5), block('alpha', 2).subarray(0, 5), 'a short call takes the start of a block')
  t.same(ids.bytes(1), block('alpha', 3).subarray(0, 1), 'and its rest is not used again')
})

t.test('bytes spanning several blocks are the blocks in order, cut to the length asked', async (t) => {
  const ids = seededIdSource('beta')
  const spanning = ids.bytes(70)
  t.equal(spanning.length, 70)
  t.same(spanning, Buffer.concat([block('beta', 0), block('beta', 1), block('beta', 2)]).subarray(0, 70))
  t.same(ids.bytes(32), block('beta', 3), 'three blocks were used')
  t.same(seededIdSource('beta').bytes(64), Buffer.concat([block('beta', 0), block('beta', 1)]), 'exactly two blocks: no third one taken')
})

t.test('bytes of any length have that length; zero bytes take no block', async (t) => {
  const ids = seededIdSource('gamma')
  t.same([0, 1, 16, 31, 32, 33, 64, 100].map((n) => ids.bytes(n).length), [0, 1, 16, 31, 32, 33, 64, 100])
  const fresh = seededIdSource('gamma')
  t.equal(fresh.bytes(0).length, 0)
  t.same(fresh.bytes(32), block('gamma', 0), 'the empty call used no counter')
})

t.test('a seeded uuid is version 4, RFC 4122 variant, made of the next block', async (t) => {
  const ids = seededIdSource('delta')
  const first = ids.uuid()
  t.equal(first, uuidOf(block('delta', 0)))
  t.equal(ids.uuid(), uuidOf(block('delta', 1)), 'one block per uuid')
  t.match(first, UUID_V4)
  const many = Array.from({ length: 64 }, () => ids.uuid())
  t.ok(many.every((u) => UUID_V4.test(u)), 'every one has the version and variant bits')
  t.equal(new Set(many).size, 64, 'and they differ')
})

t.test('seeded hex is the hex of the next bytes, cut to the length, odd lengths too', async (t) => {
  const ids = seededIdSource('epsilon')
  t.equal(ids.hex(64), block('epsilon', 0).toString('hex'), '64 characters: one block')
  t.equal(ids.hex(64), block('epsilon', 1).toString('hex'), 'the next 64: the next block, no more taken')
  const odd = ids.hex(7)
  t.equal(odd, block('epsilon', 2).toString('hex').slice(0, 7), 'seven characters, not eight')
  t.equal(ids.hex(40), block('epsilon', 3).toString('hex').slice(0, 40), 'an account\'s 40 characters')
  t.same([1, 3, 7, 33, 65].map((n) => ids.hex(n).length), [1, 3, 7, 33, 65])
  t.equal(ids.hex(0), '')
  t.match(ids.hex(99), HEX)
})

t.test('the same seed repeats its sequence; another seed does not', async (t) => {
  const draw = (seed: string) => {
    const ids = seededIdSource(seed)
    return [ids.uuid(), ids.hex(40), ids.bytes(20).toString('base64'), ids.uuid()]
  }
  t.same(draw('run-1'), draw('run-1'))
  const other = draw('run-2')
  t.ok(draw('run-1').every((value, i) => value !== other[i]), 'no value in common')
})

t.test('restart starts the seeded sequence again', async (t) => {
  const ids = seededIdSource('zeta')
  const before = [ids.uuid(), ids.hex(32), ids.bytes(40).toString('hex')]
  ids.restart()
  t.same([ids.uuid(), ids.hex(32), ids.bytes(40).toString('hex')], before)
  ids.restart()
  t.same(ids.bytes(32), block('zeta', 0), 'from block 0')
})

t.test('a random source gives v4 uuids, bytes and hex of the length asked, and never repeats', async (t) => {
  const ids = randomIdSource()
  const uuids = Array.from({ length: 32 }, () => ids.uuid())
  t.ok(uuids.every((u) => UUID_V4.test(u)), 'v4 uuids')
  t.equal(new Set(uuids).size, 32, 'all different')
  t.same([0, 1, 16, 33].map((n) => ids.bytes(n).length), [0, 1, 16, 33])
  t.ok(Buffer.isBuffer(ids.bytes(8)))
  for (const n of [0, 1, 7, 32, 40, 63]) {
    const hex = ids.hex(n)
    t.equal(hex.length, n, `hex(${n}) has ${n} characters`)
    t.match(hex, HEX)
  }
  t.not(ids.hex(40), ids.hex(40))
  ids.restart()
  t.not(ids.uuid(), uuids[0], 'restart does not make it repeat')
})

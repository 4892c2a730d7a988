import t from 'tap'
import { base58checkPayload, isBase58Address, segwitV0Program } from './address-formats.js'

// The validators the address tests use, checked against the specifications' own vectors first.

t.test('segwitV0Program accepts BIP-173\'s valid version-0 addresses, with their programs', async (t) => {
  t.equal(segwitV0Program('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'bc')?.toString('hex'), '751e76e8199196d454941c45d1b3a323f1433bd6')
  t.equal(segwitV0Program('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'bc')?.toString('hex'), '751e76e8199196d454941c45d1b3a323f1433bd6', 'upper case too')
  t.equal(segwitV0Program('tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', 'tb')?.toString('hex'),
    '1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262', 'a 32-byte program')
})

t.test('segwitV0Program refuses BIP-173\'s invalid addresses', async (t) => {
  const invalid: Array<[string, string, string]> = [
    ['tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty', 'bc', 'invalid human-readable part'],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'bc', 'invalid checksum'],
    ['BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2', 'bc', 'invalid witness version'],
    ['bc1rw5uspcuh', 'bc', 'invalid program length'],
    ['BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'bc', 'invalid program length for witness version 0'],
    ['tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7', 'tb', 'mixed case'],
    ['tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv', 'tb', 'non-zero padding in 8-to-5 conversion'],
    ['bc1gmk9yu', 'bc', 'empty data section']
  ]
  for (const [address, hrp, reason] of invalid) t.equal(segwitV0Program(address, hrp), undefined, `${address}: ${reason}`)
  t.equal(segwitV0Program('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'ltc'), undefined, 'a valid address for another chain')
})

t.test('base58check follows the Bitcoin wiki\'s example address', async (t) => {
  // en.bitcoin.it/wiki/Technical_background_of_version_1_Bitcoin_addresses: version 0, this RIPEMD-160.
  t.equal(base58checkPayload('16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM')?.toString('hex'), '00010966776006953d5567439e5e39f86a0d273bee')
  t.ok(isBase58Address('16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM', 0x00))
  t.notOk(isBase58Address('16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvN', 0x00), 'one character changed: the checksum fails')
  t.notOk(isBase58Address('16UwLL9Risc3QfPqBUvKofHmBQ7wMtjv', 0x00), 'one character dropped')
  t.notOk(isBase58Address('16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM', 0x41), 'another version byte')
  t.notOk(isBase58Address('06UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM', 0x00), '0 is not a base58 digit')
})

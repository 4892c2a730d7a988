import t from 'tap'
import { base58check } from '../../src/domain/addresses.js'
import { base58checkPayload } from '../support/address-formats.js'

// The mock's TRON addresses start with 0x41, so no address it hands out has a leading zero byte;
// Base58Check writes each leading zero byte as a '1', which these payloads check.
t.test('base58check writes each leading zero byte of the payload as a 1, as Bitcoin\'s P2PKH addresses show', async (t) => {
  t.equal(base58check(Buffer.from('00f54a5851e9372b87810a8e60cdd2e7cfd80b6e31', 'hex')), '1PMycacnJaSqwwJqjawXBErnLsZ7RkXUAs', 'the Bitcoin wiki\'s example: one zero byte, one 1')
  t.equal(base58check(Buffer.alloc(21)), '1111111111111111111114oLvT2', 'version 0 and a hash of zeros: 21 zero bytes, 21 ones')
  const payload = Buffer.from('0000ff', 'hex')
  const address = base58check(payload)
  t.match(address, /^11[^1]/, 'two zero bytes, two ones, then the rest')
  t.same(base58checkPayload(address), payload, 'and it decodes back to the payload')
})

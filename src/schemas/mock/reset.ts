import { z } from 'zod'
import { Reason } from '../../errors.js'
import { accountId } from '../common.js'

// Strict: a misspelt field or a body of another type must not fall through to a full reset.
export const resetRequest = z.strictObject({
  account: accountId.optional().describe('Reset only this account\'s data; everything when absent')
}, {
  error: (issue) => issue.code === 'unrecognized_keys' ? `${Reason.unknownFields(issue.keys)}; ${Reason.resetBody}` : Reason.resetBody
}).meta({ examples: [{}, { account: '0xca11ab1e00000000000000000000000000000001' }] })

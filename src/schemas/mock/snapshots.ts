import { z } from 'zod'
import { accountId, accountInput, isoDate, queryObject } from '../common.js'
import { mockBody } from './common.js'

const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

const snapshotName = z.string().regex(SNAPSHOT_NAME, 'must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .describe('The snapshot\'s name, unique within its account').meta({ example: 'seeded' })

const accountField = accountId.optional().describe('The account whose data is saved or restored; the configured default account (CALYPSO_ACCOUNT) when absent')

export const createSnapshotRequest = mockBody({
  name: snapshotName,
  account: accountField,
  replace: z.boolean().optional().describe('Overwrite a snapshot of the same name (refused when absent or false)')
}).meta({ examples: [{ name: 'seeded' }, { name: 'seeded', account: '0xca11ab1e00000000000000000000000000000001', replace: true }] })

export const restoreSnapshotRequest = mockBody({ account: accountField }).nullish()
  .meta({ examples: [{}, { account: '0xca11ab1e00000000000000000000000000000001' }] })

export const snapshotParams = z.object({ name: snapshotName })

export const snapshotsQuery = queryObject({ account: accountInput.optional().describe('The configured default account when absent') })

export const snapshotSummary = z.object({
  name: z.string(),
  account: z.string(),
  createdDate: isoDate.describe('When it was saved, on the mock\'s clock'),
  customers: z.number().int().meta({ format: 'int32' }).describe('Customers it holds'),
  transactions: z.number().int().meta({ format: 'int32' }).describe('Transactions it holds'),
  deliveries: z.number().int().meta({ format: 'int32' }).describe('Webhook deliveries it holds')
}).meta({ id: 'Snapshot', description: 'A named copy of one account\'s data' })

export const snapshotList = z.object({ snapshots: z.array(snapshotSummary) })

export const restoredSnapshot = z.object({
  restored: z.string().describe('The snapshot\'s name'),
  account: z.string(),
  lastEventId: z.number().int().meta({ format: 'int64' })
    .describe('The largest event id given before the restore: a delivery of a later, now undone event still in flight may arrive after it, and a receiver can drop it by this')
})

export const deletedSnapshot = z.object({ deleted: z.string().describe('The snapshot\'s name'), account: z.string() })

import type { AccountCredentials, WebhookConfig } from '../config.js'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import { isoNow, type DomainContext } from './context.js'
import { syncConfiguredWebhook } from './subscriptions.js'

/**
 * Creates an account at run time, with given or generated credentials. It is subscribed to
 * WEBHOOK_URL like the configured accounts, so a test suite can take an account of its own.
 */
export function createAccount (ctx: DomainContext, webhook: WebhookConfig, wanted: Partial<AccountCredentials>): AccountCredentials {
  const { store, ids } = ctx
  const credentials = {
    account: (wanted.account ?? `0x${ids.hex(40)}`).toLowerCase(),
    apiKey: wanted.apiKey ?? ids.hex(32),
    apiSecret: wanted.apiSecret ?? ids.hex(32)
  }
  return store.transaction(() => {
    if (store.accounts.findByAccount(credentials.account) !== undefined) {
      throw new ApiError(ErrorCode.BAD_REQUEST, Reason.accountExists(credentials.account))
    }
    if (store.accounts.findByApiKey(credentials.apiKey) !== undefined) {
      throw new ApiError(ErrorCode.BAD_REQUEST, Reason.apiKeyTaken)
    }
    store.accounts.insertRuntime(credentials, isoNow(ctx))
    if (webhook.url !== undefined) syncConfiguredWebhook(ctx, [credentials.account], webhook)
    return credentials
  })
}

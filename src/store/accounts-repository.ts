import type { AccountCredentials } from '../config.js'
import type { CommitLog } from './commit-log.js'
import type { Db } from './database.js'

export interface AccountRow extends AccountCredentials {
  origin: 'config' | 'runtime'
}

export function createAccountsRepository (db: Db, log: CommitLog) {
  const byKey = db.prepare<[string], AccountRow>(
    'SELECT account, api_key AS apiKey, api_secret AS apiSecret, origin FROM accounts WHERE api_key = ?')
  const byAccount = db.prepare<[string], AccountRow>(
    'SELECT account, api_key AS apiKey, api_secret AS apiSecret, origin FROM accounts WHERE account = ?')
  const all = db.prepare<[], AccountRow>(
    'SELECT account, api_key AS apiKey, api_secret AS apiSecret, origin FROM accounts ORDER BY created_at, account')
  const deleteRuntime = db.prepare("DELETE FROM accounts WHERE origin = 'runtime'")
  const upsert = db.prepare(`
    INSERT INTO accounts (account, api_key, api_secret, origin, created_at)
    VALUES (@account, @apiKey, @apiSecret, @origin, @now)
    ON CONFLICT (account) DO UPDATE SET api_key = excluded.api_key, api_secret = excluded.api_secret, origin = excluded.origin`)

  // Every request looks its key up; accounts change only through this repository, which clears the cache.
  const keyCache = new Map<string, AccountRow | undefined>()

  return {
    findByApiKey (apiKey: string): AccountRow | undefined {
      if (keyCache.has(apiKey)) return keyCache.get(apiKey)
      const row = byKey.get(apiKey)
      if (keyCache.size > 10_000) keyCache.clear()
      keyCache.set(apiKey, row)
      return row
    },
    findByAccount: (account: string): AccountRow | undefined => byAccount.get(account),
    list: (): AccountRow[] => all.all(),
    insertRuntime (credentials: AccountCredentials, now: string): void {
      upsert.run({ ...credentials, origin: 'runtime', now })
      keyCache.clear()
      log.note({ kind: 'account', account: credentials.account })
    },
    deleteRuntime (): void {
      deleteRuntime.run()
      keyCache.clear()
    },
    /** Writes the configured accounts; a key already held by another account is a start-up error. */
    saveConfigured (accounts: readonly AccountCredentials[], now: string): void {
      db.transaction(() => {
        for (const configured of accounts) {
          const a = { ...configured, account: configured.account.toLowerCase() }
          const holder = byKey.get(a.apiKey)
          if (holder !== undefined && holder.account !== a.account) {
            throw new Error(`api key ${a.apiKey} of account ${a.account} already belongs to account ${holder.account}`)
          }
          upsert.run({ ...a, origin: 'config', now })
        }
      })()
      keyCache.clear()
    }
  }
}

export type AccountsRepository = ReturnType<typeof createAccountsRepository>

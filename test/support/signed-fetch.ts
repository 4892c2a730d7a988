import { sign } from '../../src/auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../../src/demo-credentials.js'

/** A merchant's client over real HTTP, with the default account's published key pair. */
export async function signedFetch (baseUrl: string, path: string, payload: unknown): Promise<unknown> {
  const body = JSON.stringify({ timestamp: Date.now(), account: DEFAULT_ACCOUNT, payload }, null, 2)
  const res = await fetch(`${baseUrl}/api/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Key: DOCS_API_KEY, Sign: sign(body, DOCS_API_SECRET) },
    body
  })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

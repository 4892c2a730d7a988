// /docs "Try it out" for real: takes the account, api key and secret once (kept for this tab),
// and signs each /api/v1 request in Swagger UI's request interceptor, with a fresh timestamp,
// through WebCrypto. The signed body and headers are shown, to compare with a client's own.
// The server puts `window.calypsoDocsDefaults` ({account, apiKey}) before this script; the secret
// is read from GET /_mock/accounts, which only a page of this mock can read (a locked mock answers
// it only with the admin token, so the field stays empty there).
(function () {
  const STORAGE_KEY = 'calypso-mock:docs-credentials'
  const defaults = window.calypsoDocsDefaults || {}
  const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null') || {}
  const credentials = { account: stored.account ?? defaults.account ?? '', apiKey: stored.apiKey ?? defaults.apiKey ?? '', apiSecret: stored.apiSecret ?? '' }
  const signing = import('/_mock/dashboard/signing.js')

  const panel = document.createElement('section')
  panel.className = 'calypso-signing'
  panel.setAttribute('aria-labelledby', 'calypso-signing-title')
  panel.innerHTML = `
    <h2 id="calypso-signing-title">Sign “Try it out” requests</h2>
    <p>Each /api/v1 request sent from this page gets the account below, a fresh <code>timestamp</code>, and the <code>Key</code> and <code>Sign</code> headers (HMAC-SHA512 of the exact body with the secret). Kept for this browser tab only.</p>
    <form class="calypso-fields" aria-label="Credentials">
      <label>Account <input name="account" autocomplete="off" spellcheck="false"></label>
      <label>Api key <input name="apiKey" autocomplete="off" spellcheck="false"></label>
      <label>Api secret <input name="apiSecret" type="password" autocomplete="off" spellcheck="false"></label>
    </form>
    <details class="calypso-last" hidden>
      <summary>Last signed request</summary>
      <pre aria-label="Last signed request"></pre>
    </details>`
  panel.querySelector('form').addEventListener('submit', (event) => event.preventDefault())
  for (const input of panel.querySelectorAll('input')) {
    input.value = credentials[input.name]
    input.addEventListener('input', () => {
      credentials[input.name] = input.value.trim()
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials))
    })
  }
  const secretInput = panel.querySelector('input[name="apiSecret"]')
  const secretRead = stored.apiSecret !== undefined
    ? Promise.resolve()
    : fetch('/_mock/accounts', { cache: 'no-store' })
      .then((res) => res.ok ? res.json() : { accounts: [] })
      .then(({ accounts }) => {
        const found = accounts.find((a) => a.account === credentials.account && a.apiKey === credentials.apiKey)
        if (found !== undefined && credentials.apiSecret === '') secretInput.value = credentials.apiSecret = found.apiSecret
      }, () => {})
  const style = document.createElement('style')
  style.textContent = `
    .calypso-signing { max-width: 1460px; margin: 16px auto 0; padding: 12px 20px; border: 1px solid #d0d7e2; border-radius: 8px; font-family: sans-serif; background: #f7f9fc; }
    .calypso-signing h2 { margin: 0 0 4px; font-size: 18px; }
    .calypso-signing p { margin: 0 0 8px; font-size: 14px; }
    .calypso-fields { display: flex; flex-wrap: wrap; gap: 12px; }
    .calypso-fields label { display: flex; flex-direction: column; font-size: 13px; font-weight: 600; }
    .calypso-fields input { min-width: 22rem; padding: 4px 6px; font-family: monospace; }
    .calypso-last pre { white-space: pre-wrap; word-break: break-all; font-size: 12px; background: #fff; padding: 8px; border: 1px solid #d0d7e2; }`
  document.head.append(style)
  const place = () => {
    const ui = document.getElementById('swagger-ui')
    ui.parentNode.insertBefore(panel, ui)
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', place)
  else place()

  /** Swagger UI's requestInterceptor: sign the body of a call to /api/v1 as a Calypso client would. */
  window.calypsoSignRequest = async function (request) {
    if (!new URL(request.url, location.href).pathname.startsWith('/api/v1/') || typeof request.body !== 'string') return request
    let envelope
    try {
      envelope = JSON.parse(request.body)
    } catch {
      return request
    }
    const { hmacSha512Hex } = await signing
    await secretRead
    envelope.account = credentials.account
    envelope.timestamp = Date.now()
    const body = JSON.stringify(envelope)
    request.body = body
    request.headers.Key = credentials.apiKey
    request.headers.Sign = await hmacSha512Hex(credentials.apiSecret, body)
    const last = panel.querySelector('.calypso-last')
    last.hidden = false
    last.querySelector('pre').textContent = `${request.method} ${request.url}\nContent-Type: application/json\nKey: ${request.headers.Key}\nSign: ${request.headers.Sign}\n\n${body}`
    return request
  }
})()

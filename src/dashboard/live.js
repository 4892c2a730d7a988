// GET /_mock/events read with fetch instead of EventSource: fetch can send the admin token in a
// header, so the token never appears in a URL or a log. Reconnects a second after a drop.
import { adminHeaders } from './api.js'

async function * serverSentEvents (body) {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let event = ''
  let data = []
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffer += decoder.decode(value, { stream: true })
    let end
    while ((end = buffer.search(/\r\n|\r|\n/)) !== -1) {
      const line = buffer.slice(0, end)
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1))
      if (line === '') {
        if (data.length > 0) yield { type: event || 'message', data: JSON.parse(data.join('\n')) }
        event = ''
        data = []
      } else if (line.startsWith('event:')) {
        event = line.slice(6).trim()
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''))
      }
    }
  }
}

/**
 * Listens to the mock's changes: `onMessage({type, data})` for each, `onStatus('live' | 'reconnecting')`,
 * and `onUnauthorized()` when the token is refused. Returns how to stop.
 */
export function connectLive ({ onMessage, onStatus, onUnauthorized }) {
  const state = { stopped: false }
  let controller
  async function run () {
    while (!state.stopped) {
      controller = new AbortController()
      try {
        const res = await fetch('/_mock/events', { headers: adminHeaders(), signal: controller.signal, cache: 'no-store' })
        if (res.status === 401) {
          onUnauthorized()
          return
        }
        if (res.ok && res.body !== null) {
          for await (const message of serverSentEvents(res.body)) {
            if (message.type === 'ready') onStatus('live')
            onMessage(message)
          }
        }
      } catch (err) {
        if (state.stopped) return
      }
      onStatus('reconnecting')
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }
  run()
  return () => {
    state.stopped = true
    controller?.abort()
  }
}

import { connect } from 'node:net'
import { scaled } from './time-scale.js'

export interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
  /** Whether the server closed the connection after answering. */
  closed: boolean
}

/**
 * Writes `request` byte for byte on a new connection to 127.0.0.1:`port`, keeps its side open (as
 * a slow client would: Node's server drops a request whose client half-closes) and reads one HTTP
 * answer: status line, headers and Content-Length body. Resolves once the answer is complete.
 */
export function rawExchange (port: number, request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let data = Buffer.alloc(0)
    let answer: RawAnswer | undefined
    const parse = (): RawAnswer | undefined => {
      const end = data.indexOf('\r\n\r\n')
      if (end === -1) return undefined
      const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n')
      const headers = Object.fromEntries(lines.map((line) => {
        const colon = line.indexOf(':')
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]
      }))
      const length = Number(headers['content-length'] ?? 0)
      if (data.length < end + 4 + length) return undefined
      return { status: Number(statusLine?.split(' ')[1]), headers, body: data.subarray(end + 4, end + 4 + length).toString('utf8'), closed: false }
    }
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk])
      answer ??= parse()
      if (answer !== undefined && answer.headers.connection !== 'close') {
        socket.destroy()
        resolve(answer)
      }
    })
    socket.on('close', () => {
      if (answer !== undefined) resolve({ ...answer, closed: true })
      else reject(new Error(`the connection closed without a complete answer: ${JSON.stringify(data.toString('latin1').slice(0, 300))}`))
    })
    socket.on('error', () => {})
    socket.write(request)
  })
}

export interface Conversation {
  /** Every answer, in order, 1xx interim answers left out. */
  answers: RawAnswer[]
  /** Bytes after the last complete answer, if the stream ended in the middle of one. */
  leftover: string
}

/** Splits what a server wrote on one connection into answers; `firstIsHead` when the first request was a HEAD (an answer without a body). */
export function parseAnswers (data: Buffer, firstIsHead: boolean): Conversation {
  const answers: RawAnswer[] = []
  let at = 0
  let index = 0
  for (;;) {
    const end = data.indexOf('\r\n\r\n', at)
    if (end === -1) break
    const [statusLine, ...lines] = data.subarray(at, end).toString('latin1').split('\r\n')
    const headers = Object.fromEntries(lines.map((line) => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]
    }))
    const status = Number(statusLine?.split(' ')[1])
    let bodyStart = end + 4
    if (status >= 100 && status < 200) {
      at = bodyStart
      continue
    }
    let body: Buffer = Buffer.alloc(0)
    if (!(index === 0 && firstIsHead) && status !== 204 && status !== 304) {
      if (headers['transfer-encoding'] === 'chunked') {
        const chunks: Buffer[] = []
        for (;;) {
          const lineEnd = data.indexOf('\r\n', bodyStart)
          if (lineEnd === -1) return { answers, leftover: data.subarray(at).toString('latin1') }
          const size = parseInt(data.subarray(bodyStart, lineEnd).toString('latin1'), 16)
          if (size === 0) { bodyStart = lineEnd + 4; break }
          chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size))
          bodyStart = lineEnd + 2 + size + 2
        }
        body = Buffer.concat(chunks)
      } else {
        const length = Number(headers['content-length'] ?? 0)
        if (data.length < bodyStart + length) break
        body = data.subarray(bodyStart, bodyStart + length)
        bodyStart += length
      }
    }
    answers.push({ status, headers, body: body.toString('utf8'), closed: false })
    at = bodyStart
    index++
  }
  return { answers, leftover: data.subarray(at).toString('latin1') }
}

/**
 * Writes `request` and then a last, well-formed request that asks the server to close, and reads
 * everything until the server closes. A request left incomplete swallows the last one and ends as
 * the server's request timeout decides. Rejects after `guardMs` (a guard against a hang, not a measure).
 */
export function rawConversation (port: number, request: Buffer, firstIsHead: boolean, guardMs = scaled(5000)): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const guard = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no close within ${guardMs} ms; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 300))}`))
    }, guardMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(guard)
      resolve(parseAnswers(Buffer.concat(chunks), firstIsHead))
    })
    socket.write(Buffer.concat([request, Buffer.from('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')]))
  })
}

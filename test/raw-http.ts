import { connect } from 'node:net'

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

import { createServer } from 'node:http'

// The ceiling: node:http answering a fixed JSON body, with no parsing, signing or storage.
const body = JSON.stringify({ id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', email: null, description: null, externalId: null, blocked: false })
const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
    response.end(body)
  })
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))

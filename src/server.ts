#!/usr/bin/env node
/**
 * The only entry. `npm run build` bundles src/main.ts into dist/calypso-mock.cjs with V8's code
 * cache beside it: loading one precompiled file instead of hundreds of modules halves the start-up
 * (README, Development). Without a bundle (`npm run dev`, the tests) main.ts is imported as it is.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BUNDLE_FILE, loadBundle } from './bundle-loader.js'

type Main = typeof import('./main.js')

/** How often a server started by npm checks that npm still runs. */
const PARENT_CHECK_MS = 500

/**
 * Started by npm (`npm start`, `npx calypso-mock`), the server stops when npm does: npm can exit on
 * SIGTERM without passing it on, which left the server holding its port and database. It then
 * stops as on SIGTERM. A server started any other way is left alone, so `nohup` keeps working.
 */
function stopWithParent (): void {
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM')
  }, PARENT_CHECK_MS).unref()
}

if (process.env.npm_lifecycle_event !== undefined) stopWithParent()
const bundle = fileURLToPath(new URL(BUNDLE_FILE, import.meta.url))
const { main }: Main = existsSync(bundle) ? loadBundle<Main>(bundle).exports : await import('./main.js')
main(process.argv.slice(2), process.env)

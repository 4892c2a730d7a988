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

const bundle = fileURLToPath(new URL(BUNDLE_FILE, import.meta.url))
const { main }: Main = existsSync(bundle) ? loadBundle<Main>(bundle).exports : await import('./main.js')
main(process.argv.slice(2), process.env)

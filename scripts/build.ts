/**
 * `npm run build`: compiles src/ with tsc (the library and its types), bundles the server into
 * dist/calypso-mock.cjs and writes V8's code caches for it from warm-up runs: in a plain `node`, and
 * under the V8 flags `npm start` gives the server.
 * `--out-dir <dir>` builds elsewhere (the pack and image tests); package.json and migrations/ must
 * sit above it, as they do in the repository.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, cpSync, rmSync } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build, type Plugin } from 'esbuild'
import { BUNDLE_FILE, SERVER_V8_FLAGS } from '../src/bundle-loader.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: join(ROOT, 'dist') } } })
const outDir = resolve(values['out-dir'])

rmSync(outDir, { recursive: true, force: true })
execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' })
// The package's bin: tsc writes it read-only to everyone, and `npx calypso-mock` inside a checkout
// runs the file itself (npm sets the mode only when it installs a package from a tarball).
chmodSync(join(outDir, 'server.js'), 0o755)
// The dashboard's page is plain ES modules and CSS: copied as they are, never built.
cpSync(join(ROOT, 'src/dashboard'), join(outDir, 'dashboard'), { recursive: true })

/**
 * zod exports every locale it has as `locales`, and the namespace import keeps all of them in the
 * bundle (a fifth of it). The mock speaks English only, as Calypso does.
 */
const englishOnlyZod: Plugin = {
  name: 'english-only-zod',
  setup (build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'english-only-zod' } : undefined)
    build.onLoad({ filter: /.*/, namespace: 'english-only-zod' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(join(ROOT, 'node_modules/zod/v4/locales/en.js'))}`,
      resolveDir: ROOT
    }))
  }
}

await build({
  plugins: [englishOnlyZod],
  entryPoints: [join(ROOT, 'src/main.ts')],
  outfile: join(outDir, BUNDLE_FILE),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The native addon. (pino-pretty and swagger-ui are required at run time, when needed.)
  external: ['better-sqlite3'],
  // import.meta.url means the bundle's own file (see src/package-root.ts).
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'var __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  // Whitespace and syntax only: names stay, so a stack trace from the bundle still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning'
})

// V8 refuses a code cache made under other flags: one in a plain node, as `node dist/server.js`
// and `npx calypso-mock` run, and one under the flags of `npm start` and the image's CMD.
for (const flags of [[], SERVER_V8_FLAGS]) {
  execFileSync(process.execPath, [...flags, join(ROOT, 'scripts/write-code-cache.mjs'), outDir], {
    stdio: 'inherit',
    env: { ...process.env, NODE_PATH: [join(ROOT, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(delimiter) }
  })
}

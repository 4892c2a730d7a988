import { readFileSync } from 'node:fs'
import t from 'tap'

const ROOT = new URL('../..', import.meta.url)

t.test('every dependency with an install script is declared in allowScripts (npm 11 warns, a later npm skips the rest)', async (t) => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { allowScripts?: Record<string, boolean> }
  const lock = JSON.parse(readFileSync(new URL('package-lock.json', ROOT), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean, optional?: boolean }> }
  const withScripts = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && entry.hasInstallScript === true)
    .map(([path]) => path.replace(/^.*node_modules\//, ''))
  t.ok(withScripts.length > 0, 'the lockfile names the packages with install scripts')
  t.same([...new Set(withScripts)].filter((name) => pkg.allowScripts?.[name] === undefined), [], 'none left undecided')
  t.equal(pkg.allowScripts?.['better-sqlite3'], true, 'better-sqlite3 compiles or downloads its binding at install')
  t.equal(pkg.allowScripts?.esbuild, true, 'esbuild installs its platform binary')
})

import { readFileSync } from 'node:fs'
import t from 'tap'
import semver from 'semver'

const ROOT = new URL('../..', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync(new URL('package-lock.json', ROOT), 'utf8')) as {
  packages: Record<string, { version?: string, dev?: boolean, engines?: { node?: string } | string[] }>
}

t.test('engines is true of the whole tree: every package accepts the lowest Node of each line the package claims', async (t) => {
  // The lowest version of each line the range allows: 20.19.0, 22.13.0, 24.0.0.
  const floors = pkg.engines.node.split('||').map((part) => semver.minVersion(part.trim())!.version)
  for (const floor of floors) t.ok(semver.satisfies(floor, pkg.engines.node), `${floor} is within ${pkg.engines.node}`)
  t.notOk(semver.satisfies('20.18.0', pkg.engines.node), 'before 20.19, require cannot load the package\'s ES modules')
  const refusals = Object.entries(lock.packages).flatMap(([path, entry]) => {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node
    if (path === '' || range === undefined) return []
    return floors.filter((floor) => !semver.satisfies(floor, range)).map((floor) => `${path}@${entry.version} wants node ${range}, not ${floor}`)
  })
  t.same(refusals, [], 'no EBADENGINE on any supported Node')
})

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, posix } from 'node:path'
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils'
import t from 'tap'
import { ROOT } from '../support/built-dist.js'
import { baseOf, copiesOf, propertiesOf, readDockerfile, type Stage } from '../support/dockerfile.js'

// module.exports is the factory, while its types declare a default export.
const dockerignore = createRequire(import.meta.url)('@balena/dockerignore') as typeof import('@balena/dockerignore').default

// What a mistake in the Dockerfile would break. Its CMD and HEALTHCHECK are run by image-command.test.ts.

const { text, stages, runtime } = readDockerfile()
const ignored = dockerignore().add(readFileSync(join(ROOT, '.dockerignore'), 'utf8'))

/** Every rule the linter can turn up, as an error: warnings count too. */
const strict: Required<ValidatorSettings> = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR
}

/** Files under a context path (itself when it is a file), relative to the repository. */
function filesUnder (path: string): string[] {
  if (!statSync(join(ROOT, path)).isDirectory()) return [path]
  return readdirSync(join(ROOT, path)).flatMap((entry) => filesUnder(posix.join(path, entry)))
}

const contextSources = (stage: Stage) => copiesOf(stage).filter((c) => c.from === undefined).flatMap((c) => c.sources)

t.test('the Dockerfile passes the linter (dockerfile-utils) with every rule on, and the linter does catch mistakes', async (t) => {
  t.same(validate(text, strict).map((d) => `${d.range.start.line + 1}: ${d.message}`), [])
  t.ok(validate('FROM node\nEXPOSE eighty\nHEALTHCHECK CMD\n', strict).length >= 2, 'a broken Dockerfile is reported')
})

t.test('every file a COPY takes from the context exists and is not left out by .dockerignore', async (t) => {
  for (const source of stages.flatMap(contextSources)) {
    t.ok(existsSync(join(ROOT, source)), `${source} is in the repository`)
    if (existsSync(join(ROOT, source))) t.same(filesUnder(source).filter((file) => ignored.ignores(file)), [], `nothing under ${source} is in .dockerignore`)
  }
  t.ok(ignored.ignores('node_modules/better-sqlite3/build/Release/better_sqlite3.node'), 'the host\'s node_modules (an addon built for the host) stays out')
})

t.test('every COPY --from names an earlier stage', async (t) => {
  stages.forEach((stage, index) => {
    const earlier = stages.slice(0, index).map((s) => s.getFROMs()[0]?.getBuildStage())
    for (const { from } of copiesOf(stage).filter((c) => c.from !== undefined)) t.ok(earlier.includes(from!), `--from=${from}`)
  })
})

t.test('the build stage is given everything `npm run build` reads', async (t) => {
  const build = stages[0]!
  const copied = contextSources(build)
  const isCopied = (path: string) => copied.some((source) => path === source || path.startsWith(`${source}/`))
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { extends: string, include: string[] }
  const scripts = [...pkg.scripts.build!.matchAll(/\bscripts\/\S+/g)].map((m) => m[0])
  t.ok(scripts.length > 0, `the build script: ${pkg.scripts.build}`)
  const referenced = scripts.flatMap((script) => [...readFileSync(join(ROOT, script), 'utf8').matchAll(/'(scripts\/[^']+)'/g)].map((m) => m[1]!))
  const needed = ['package.json', 'package-lock.json', 'tsconfig.build.json', posix.normalize(buildConfig.extends), ...buildConfig.include, ...scripts, ...referenced, 'migrations']
  for (const path of needed) t.ok(isCopied(path), `${path} is copied into the build stage`)
})

t.test('one base image for both stages, so the addon built in the first loads in the second; the labels follow it and package.json', async (t) => {
  const bases = stages.map(baseOf)
  t.equal(new Set(bases).size, 1, `${bases.join(', ')}`)
  const labels = propertiesOf(runtime, 'LABEL')
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string, version: string }
  t.equal(labels['org.opencontainers.image.version'], pkg.version)
  t.equal(labels['org.opencontainers.image.title'], pkg.name)
  t.equal(labels['org.opencontainers.image.base.name'], `docker.io/library/${bases[0]}`)
  const user = runtime.getInstructions().filter((i) => i.getKeyword() === 'USER').at(-1)?.getArgumentsContent() ?? 'root'
  t.notMatch(user, /^(root|0)(:|$)/, `the server runs as ${user}, not root`)
})

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, posix } from 'node:path'
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils'
import t from 'tap'
import { ROOT, argsOf, envOf, healthcheckArgv, isIgnored, keyValues, parseCopy, readDockerfile, readDockerignore, type Instruction } from './dockerfile-parser.js'

const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string, scripts: Record<string, string> }
const stages = readDockerfile(text)
const build = stages[0]!
const runtime = stages.at(-1)!

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

function workdir (stage: Instruction[]): string {
  return argsOf(stage, 'WORKDIR').at(-1) ?? '/'
}

t.test('the Dockerfile passes the linter (dockerfile-utils) with every rule on, and the linter does catch mistakes', async (t) => {
  t.same(validate(text, strict).map((d) => `${d.range.start.line + 1}: ${d.message}`), [])
  t.ok(validate('FROM node:20\nEXPOSE eighty\nHEALTHCHECK CMD\n', strict).length >= 2, 'a broken Dockerfile is reported')
  t.ok(validate('FROM node:20\nworkdir app\n', strict).length >= 2, 'so are a lowercase instruction and a relative WORKDIR')
})

t.test('multi-stage on one pinned base, non-root, /data volume, a node HEALTHCHECK, the server as CMD', async (t) => {
  t.ok(stages.length >= 2, `${stages.length} stages`)
  t.equal(build[0]!.args, 'node:24.18.1-bookworm-slim AS build')
  t.equal(runtime[0]!.args, 'node:24.18.1-bookworm-slim', 'the runtime has the build stage\'s base, so the addon matches')
  const user = argsOf(runtime, 'USER').at(-1) ?? 'root'
  t.equal(user, 'node', 'the last USER of the final stage is node')
  t.notMatch(user, /^(root|0)(:|$)/)

  const env = envOf(runtime)
  t.equal(env.HOST, '0.0.0.0')
  t.equal(env.PORT, '8080')
  t.equal(env.DATABASE_PATH, '/data/calypso-mock.db')
  t.equal(env.NODE_ENV, 'production')
  t.same(argsOf(runtime, 'VOLUME'), ['["/data"]'])
  t.same(argsOf(runtime, 'EXPOSE'), [env.PORT])
  t.ok(runtime.some((i) => i.keyword === 'RUN' && /chown node:node \/data/.test(i.args)), '/data is writable by node')
  t.ok(runtime.findIndex((i) => /chown node:node \/data/.test(i.args)) < runtime.findIndex((i) => i.keyword === 'VOLUME'),
    'chowned before VOLUME, so a new named volume inherits the ownership')
  t.same(argsOf(runtime, 'CMD'), ['["node", "dist/server.js"]'])
  t.same(argsOf(runtime, 'ENTRYPOINT'), [], 'no entrypoint wraps it: node is PID 1 and gets SIGTERM itself')

  const check = healthcheckArgv(runtime)
  t.equal(check[0], 'node')
  t.equal(check[1], '-e')
  t.match(check[2], /http:\/\/127\.0\.0\.1:' \+ \(process\.env\.PORT \|\| 8080\) \+ '\/health/)
  t.notMatch(stages.flat().map((i) => i.args).join('\n'), /\b(curl|wget)\b/, 'no curl or wget in any instruction')
  t.notMatch(argsOf(runtime, 'RUN').join(' '), /apt-get|npm (ci|install)/, 'nothing installed in the runtime stage')

  const labels = Object.assign({}, ...argsOf(runtime, 'LABEL').map(keyValues)) as Record<string, string>
  t.equal(labels['org.opencontainers.image.title'], 'calypso-mock')
  t.equal(labels['org.opencontainers.image.version'], pkg.version, 'the version label follows package.json')
  t.equal(labels['org.opencontainers.image.base.name'], `docker.io/library/${runtime[0]!.args}`)
  t.ok(Object.keys(labels).every((key) => key.startsWith('org.opencontainers.image.')), 'only OCI labels')
})

t.test('the build stage compiles the addon and the server, and leaves production dependencies only', async (t) => {
  const runs = argsOf(build, 'RUN').join('\n')
  t.match(runs, /apt-get install -y --no-install-recommends python3 make g\+\+/)
  t.match(runs, /npm ci --ignore-scripts.*npm_config_build_from_source=better-sqlite3 npm_config_nodedir=\/usr\/local npm rebuild better-sqlite3/, 'better-sqlite3 compiled here, against this image\'s Node headers')
  t.match(runs, /npm run build/)
  t.match(runs, /npm prune --omit=dev/)
  t.ok(runs.indexOf('npm run build') < runs.indexOf('npm prune --omit=dev'), 'dev dependencies (typescript) dropped after the build')
  t.match(runs, /require\('better-sqlite3'\)/, 'the addon is loaded once in the image it was built in')
})

t.test('every file the stages COPY exists or is made by the build stage', async (t) => {
  const names = new Map(stages.map((stage) => [/\bAS\s+(\S+)$/i.exec(stage[0]!.args)?.[1], stage] as const))
  const build = names.get('build')
  t.ok(build !== undefined, 'a stage named build')
  // What `npm ci` and `npm run build` leave in the build stage's WORKDIR.
  const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { extends: string, include: string[], compilerOptions: { outDir: string, rootDir: string } }
  t.equal(pkg.scripts.build, 'node --import tsx scripts/build.ts')
  const made = new Set([posix.join(workdir(build!), 'node_modules'), posix.join(workdir(build!), buildConfig.compilerOptions.outDir)])

  for (const stage of stages) {
    for (const copy of argsOf(stage, 'COPY').map(parseCopy)) {
      for (const source of copy.sources) {
        if (copy.from === undefined) {
          t.ok(existsSync(join(ROOT, source)), `${source} is in the repository`)
        } else {
          t.equal(names.get(copy.from), build, `COPY --from=${copy.from} names the build stage`)
          t.ok(made.has(source), `${source} is made by the build stage`)
        }
      }
    }
  }

  const contextCopies = (stage: Instruction[]) => argsOf(stage, 'COPY').map(parseCopy).filter((c) => c.from === undefined).flatMap((c) => c.sources)
  const buildInputs = contextCopies(build!)
  t.ok(buildInputs.includes(posix.normalize(buildConfig.extends)), `tsconfig.build.json extends ${buildConfig.extends}, which is copied too`)
  for (const dir of buildConfig.include) t.ok(buildInputs.includes(dir), `${dir} (compiled) is copied`)
  t.equal(buildConfig.compilerOptions.rootDir, 'src')
  t.ok(existsSync(join(ROOT, 'src/server.ts')), 'so CMD\'s dist/server.js is src/server.ts compiled')
  // The build script and what it imports or runs; the warm-up run applies the migrations.
  const buildScript = readFileSync(join(ROOT, 'scripts/build.ts'), 'utf8')
  for (const script of ['scripts/build.ts', ...[...buildScript.matchAll(/'(scripts\/[^']+)'/g)].map((m) => m[1]!)]) {
    t.ok(buildInputs.includes(script), `${script} is copied`)
  }
  t.ok(buildInputs.includes('migrations'), 'migrations, for the warm-up run')
  // The runtime reads package.json (its version) and migrations/ from the package root at start.
  t.ok(contextCopies(runtime).includes('package.json') && contextCopies(runtime).includes('migrations'))
})

t.test('.dockerignore keeps the context small and excludes nothing a COPY needs', async (t) => {
  const patterns = readDockerignore()
  for (const path of ['node_modules', 'node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'dist/server.js', 'data/calypso-mock.db', 'test/helper.ts', '.git/HEAD', 'tmp/x', '.tap/report', 'coverage/index.html', 'src/leftover.db', '.env']) {
    t.ok(isIgnored(path, patterns), `${path} stays out of the context`)
  }
  for (const stage of stages) {
    for (const copy of argsOf(stage, 'COPY').map(parseCopy).filter((c) => c.from === undefined)) {
      for (const source of copy.sources) {
        const excluded = filesUnder(source).filter((file) => isIgnored(file, patterns))
        t.same(excluded, [], `nothing under ${source} is excluded`)
      }
    }
  }
  t.notOk(isIgnored('Dockerfile', patterns))
})

t.test('the .dockerignore matcher follows Docker\'s rules', async (t) => {
  t.ok(isIgnored('a/b/c', ['a']), 'a folder excludes what is under it')
  t.notOk(isIgnored('x/a', ['a']), 'a plain name matches at the root only')
  t.ok(isIgnored('x/y/a.db', ['**/*.db']))
  t.notOk(isIgnored('x/a.db', ['*.db']))
  t.notOk(isIgnored('keep.md', ['*.md', '!keep.md']), 'the last matching pattern wins')
})

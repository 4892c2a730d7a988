import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface Instruction {
  keyword: string
  args: string
}

/** The Dockerfile as instructions, comments dropped and continuation lines joined, split into stages. */
export function readDockerfile (text = readFileSync(`${ROOT}/Dockerfile`, 'utf8')): Instruction[][] {
  // Docker drops comment lines before joining continuations, so a comment may sit inside a RUN.
  const uncommented = text.split(/\r?\n/).filter((line) => !line.trim().startsWith('#')).join('\n')
  const instructions = uncommented.replace(/\\\n/g, ' ').split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/)
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') }
    })
  const stages: Instruction[][] = []
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') stages.push([])
    stages.at(-1)?.push(instruction)
  }
  return stages
}

/** The arguments of every instruction with this keyword in a stage. */
export function argsOf (stage: Instruction[], keyword: string): string[] {
  return stage.filter((i) => i.keyword === keyword).map((i) => i.args)
}

/** `KEY=value` pairs of a key=value list (ENV, LABEL), double quotes removed. */
export function keyValues (args: string): Record<string, string> {
  const pairs: Record<string, string> = {}
  for (const match of args.matchAll(/([\w.-]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const [, key = '', raw = ''] = match
    pairs[key] = raw.startsWith('"') ? JSON.parse(raw) as string : raw
  }
  return pairs
}

/** Every variable a stage's ENV instructions set. */
export function envOf (stage: Instruction[]): Record<string, string> {
  return Object.assign({}, ...argsOf(stage, 'ENV').map(keyValues)) as Record<string, string>
}

/** The HEALTHCHECK's command as an argv array (its exec form). */
export function healthcheckArgv (stage: Instruction[]): string[] {
  const json = /CMD\s+(\[.*\])\s*$/.exec(argsOf(stage, 'HEALTHCHECK')[0] ?? '')?.[1]
  return json === undefined ? [] : JSON.parse(json) as string[]
}

export interface Copy {
  from: string | undefined
  sources: string[]
  destination: string
}

/** A COPY's `--from` stage (undefined for the build context), its sources and its destination. */
export function parseCopy (args: string): Copy {
  const words = args.split(/\s+/)
  const flags = words.filter((w) => w.startsWith('--'))
  const paths = words.filter((w) => !w.startsWith('--'))
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length)
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? '' }
}

/** The .dockerignore's patterns, in order (`!` marks an exception). */
export function readDockerignore (text = readFileSync(`${ROOT}/.dockerignore`, 'utf8')): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
}

function patternRegExp (pattern: string): RegExp {
  const clean = pattern.replace(/^\/+/, '').replace(/\/+$/, '')
  let source = ''
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i]!
    if (c === '*' && clean[i + 1] === '*') {
      // `**/` is any number of folders, none included; a trailing `**` is anything.
      if (clean[i + 2] === '/') { source += '(?:.*/)?'; i += 2 } else { source += '.*'; i += 1 }
    } else if (c === '*') source += '[^/]*'
    else if (c === '?') source += '[^/]'
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

/**
 * Whether Docker leaves this context path (relative, `/`-separated) out of the build context: as
 * moby's patternmatcher does, a pattern matching the path or one of its parent folders excludes it,
 * and the last matching pattern wins.
 */
export function isIgnored (path: string, patterns: string[]): boolean {
  const parts = path.replace(/^\.?\/+/, '').split('/')
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'))
  let ignored = false
  for (const pattern of patterns) {
    const exception = pattern.startsWith('!')
    const regexp = patternRegExp(exception ? pattern.slice(1) : pattern)
    if (candidates.some((c) => regexp.test(c))) ignored = !exception
  }
  return ignored
}

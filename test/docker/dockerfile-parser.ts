import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface Instruction {
  keyword: string
  args: string
}

/** The Dockerfile as instructions, continuation lines joined and comments dropped, split into stages. */
export function readDockerfile (text = readFileSync(`${ROOT}/Dockerfile`, 'utf8')): Instruction[][] {
  const joined = text.replace(/\\\r?\n/g, ' ')
  const instructions = joined.split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
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

/** The HEALTHCHECK's command as an argv array (its exec form). */
export function healthcheckArgv (stage: Instruction[]): string[] {
  const healthcheck = stage.find((i) => i.keyword === 'HEALTHCHECK')
  const json = /CMD\s+(\[.*\])\s*$/.exec(healthcheck?.args ?? '')?.[1]
  return json === undefined ? [] : JSON.parse(json) as string[]
}

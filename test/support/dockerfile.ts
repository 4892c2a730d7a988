import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DockerfileParser, Env, Label, type ImageTemplate } from 'dockerfile-ast'
import { ROOT } from './built-dist.js'

export type Stage = ImageTemplate

/** The repository's Dockerfile as dockerfile-ast reads it, one ImageTemplate per stage. */
export function readDockerfile (text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')) {
  const dockerfile = DockerfileParser.parse(text)
  const stages = dockerfile.getFROMs().map((from) => dockerfile.getContainingImage(from.getRange().start)!)
  return { text, stages, runtime: stages.at(-1)! }
}

/** The image a stage starts FROM. */
export function baseOf (stage: Stage): string | undefined {
  return stage.getFROMs()[0]?.getImage() ?? undefined
}

/** What a stage's ENV or LABEL instructions set. */
export function propertiesOf (stage: Stage, keyword: 'ENV' | 'LABEL'): Record<string, string> {
  const instructions = stage.getInstructions().filter((i): i is Env | Label => i instanceof (keyword === 'ENV' ? Env : Label))
  return Object.fromEntries(instructions.flatMap((i) => i.getProperties().map((p) => [p.getName(), p.getValue() ?? ''])))
}

/** What a stage's ENV instructions set. */
export function envOf (stage: Stage): Record<string, string> {
  return propertiesOf(stage, 'ENV')
}

/** The exec form of a stage's CMD. */
export function cmdOf (stage: Stage): string[] {
  return stage.getCMDs().at(-1)?.getJSONStrings().map((s) => s.getJSONValue()) ?? []
}

/** The exec form of a stage's HEALTHCHECK command. */
export function healthcheckOf (stage: Stage): string[] {
  const content = stage.getHEALTHCHECKs().at(-1)?.getArgumentsContent() ?? ''
  return /^CMD\s+\[/.test(content) ? JSON.parse(content.replace(/^CMD\s+/, '')) as string[] : []
}

/** A COPY's `--from` stage (undefined for the build context) and its sources. */
export function copiesOf (stage: Stage): Array<{ from: string | undefined, sources: string[] }> {
  return stage.getCOPYs().map((copy) => ({
    from: copy.getFromFlag()?.getValue() ?? undefined,
    sources: copy.getArguments().slice(0, -1).map((a) => a.getValue())
  }))
}

import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onExit } from 'signal-exit'

interface Teardown {
  teardown: (fn: () => unknown) => void
}

/** Scratch folders are named `calypso-mock-<pid>-<label>-XXXXXX`: the pid tells a leftover from a folder in use. */
const PREFIX = 'calypso-mock-'
const OWNED = /^calypso-mock-(\d+)-/

const folders = new Set<string>()
const children = new Set<ChildProcess>()
let hooked = false

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function remove (dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  folders.delete(dir)
}

/**
 * Once per test process: removes the scratch folders of test processes that are gone (a SIGKILL
 * runs no exit hook), and on this process's exit, however it ends short of SIGKILL (tap's timeout
 * is SIGALRM), kills the processes it started and removes its folders.
 */
function hook (): void {
  if (hooked) return
  hooked = true
  for (const name of readdirSync(tmpdir())) {
    const owner = OWNED.exec(name)?.[1]
    if (owner !== undefined && Number(owner) !== process.pid && !alive(Number(owner))) rmSync(join(tmpdir(), name), { recursive: true, force: true })
  }
  onExit(() => {
    for (const child of children) kill(child)
    for (const dir of folders) {
      try {
        remove(dir)
      } catch {
        // Still being written by a process just killed: the next test process removes it.
      }
    }
  })
}

/** Kills `child` and, when it leads its own process group (spawned `detached`), what it started. */
function kill (child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}

/** A fresh folder under the OS temp dir, removed after the test, or when this process exits. */
export function scratchDir (t: Teardown, label = 'test'): string {
  hook()
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-${label}-`))
  folders.add(dir)
  t.teardown(() => remove(dir))
  return dir
}

/**
 * Kills `child` after the test, or when this process exits first (a timed-out test file). Spawn it
 * `detached` to have its own children (npm's scripts, a build) killed with it.
 */
export function killAfter<C extends ChildProcess> (t: Teardown, child: C): C {
  hook()
  children.add(child)
  child.once('exit', () => children.delete(child))
  t.teardown(() => kill(child))
  return child
}

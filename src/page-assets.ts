import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The folder of the browser pages' files (the dashboard, and the signing script of /docs), beside
 * this module: src/dashboard/ under tsx, dist/dashboard/ beside the compiled modules and the bundle
 * (the build copies it there). Looked up when a page is first served, never at start.
 */
export function pageAssetFolder (): string {
  const folder = fileURLToPath(new URL('./dashboard/', import.meta.url))
  if (!existsSync(folder)) throw new Error(`the dashboard's files are missing: no folder ${folder}`)
  return folder
}

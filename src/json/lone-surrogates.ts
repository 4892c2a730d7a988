/** A JSON escape of a UTF-16 surrogate: only a body that has one can hold a lone surrogate. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/

export function mayHoldSurrogate (jsonText: string): boolean {
  return SURROGATE_ESCAPE.test(jsonText)
}
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Where the first string or field name with a lone surrogate is (`payload.email`), if any. A lone
 * surrogate is not text: SQLite would store it as U+FFFD, and a Java service would not round-trip it.
 * Iterative, as a body may be nested far deeper than the stack.
 */
export function loneSurrogateAt (value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']]
  const join = (path: string, key: string) => path === '' ? key : `${path}.${key}`
  while (pending.length > 0) {
    const [item, path] = pending.pop() as [unknown, string]
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) return path === '' ? 'body' : path
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], join(path, String(i))])
    } else if (typeof item === 'object' && item !== null) {
      const keys = Object.keys(item)
      if (keys.some((key) => LONE_SURROGATE.test(key))) return `${path === '' ? 'body' : path} (a field name)`
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string
        pending.push([(item as Record<string, unknown>)[key], join(path, key)])
      }
    }
  }
  return undefined
}

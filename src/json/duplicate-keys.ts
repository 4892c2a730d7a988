const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d

type Frame = { keys: Set<string>, key: string } | { keys: undefined, index: number }

function stringEnd (text: string, start: number): number {
  let i = start + 1
  while (text.charCodeAt(i) !== QUOTE) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1
  return i
}

const member = (path: string, key: string) => path === '' ? key : `.${key}`

function pathOf (frames: readonly Frame[], key: string): string {
  let path = ''
  for (const frame of frames.slice(0, -1)) path += frame.keys === undefined ? `[${frame.index}]` : member(path, frame.key)
  return path + member(path, key)
}

/**
 * The path of the first key that appears twice in one object, e.g. `payload.customerId`, if any.
 * `text` must be valid JSON (JSON.parse, which keeps the last of duplicate keys, accepted it).
 */
export function findDuplicateKey (text: string): string | undefined {
  const frames: Frame[] = []
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      const end = stringEnd(text, i)
      const top = frames.at(-1)
      if (expectKey && top?.keys !== undefined) {
        const raw = text.slice(i + 1, end)
        const key = raw.includes('\\') ? JSON.parse(`"${raw}"`) as string : raw
        if (top.keys.has(key)) return pathOf(frames, key)
        top.keys.add(key)
        top.key = key
        expectKey = false
      }
      i = end
    } else if (c === OPEN_OBJECT) {
      frames.push({ keys: new Set(), key: '' })
      expectKey = true
    } else if (c === OPEN_ARRAY) {
      frames.push({ keys: undefined, index: 0 })
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      frames.pop()
    } else if (c === COMMA) {
      const top = frames.at(-1)
      if (top?.keys === undefined) {
        if (top !== undefined) top.index++
      } else {
        expectKey = true
      }
    }
  }
  return undefined
}

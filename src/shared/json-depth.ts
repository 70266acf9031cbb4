/**
 * Nesting caps checked before parsing or validating input (files, IPC arguments, web bodies). JSON
 * nested thousands deep otherwise ends in `RangeError: Maximum call stack size exceeded` inside a
 * recursive parser or validator; both checks here are iterative, linear and allocation-free.
 * Scenarios, campaigns and layouts nest fewer than 10 levels.
 */

export const MAX_JSON_DEPTH = 64

export class DepthError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DepthError'
  }
}

const tooDeep = (where: string, max: number) =>
  new DepthError(`${where}: nested deeper than ${max} levels (objects and lists may nest at most ${max} deep)`)

/** Throws if the JSON (or YAML flow) text opens more than `max` nested `[`/`{` (strings skipped). */
export function assertTextDepth(text: string, where: string, max = MAX_JSON_DEPTH): void {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) throw tooDeep(where, max)
    } else if (c === 0x5d || c === 0x7d) depth--
  }
}

/** Throws if a parsed value (IPC arguments, parsed YAML) nests more than `max` objects/lists deep. */
export function assertValueDepth(value: unknown, where: string, max = MAX_JSON_DEPTH): void {
  const stack: [unknown, number][] = [[value, 0]]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (d >= max) throw tooDeep(where, max)
    if (seen.has(v)) continue
    seen.add(v)
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, d + 1])
    }
  }
}
